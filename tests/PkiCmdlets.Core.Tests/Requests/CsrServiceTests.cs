using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Store;
using PkiCmdlets.Core.Tests.Keys;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Requests;

public sealed class CsrServiceTests : IDisposable
{
    private readonly TempStore _temp = new();
    private readonly CsrService _csrs;

    public CsrServiceTests()
    {
        _csrs = Services.Csrs(_temp.Open());
    }

    public void Dispose() => _temp.Dispose();

    private static NewCsrRequest Ecc(string commonName, string? name = null) =>
        new() { CommonName = commonName, Algorithm = "ECC", Name = name };

    [Fact]
    public void Create_returns_every_field_and_stores_pem_files()
    {
        var csr = _csrs.Create(new NewCsrRequest
        {
            CommonName = "www.example.com",
            SubjectAlternativeNames = new[] { "example.com,192.0.2.1" },
            Country = "us",
            Organization = "Contoso",
            Algorithm = "P-256",
            Remark = "web tier",
            Tags = new Dictionary<string, string> { ["env"] = "prod" },
        });

        Assert.Equal(1, csr.Id);
        Assert.Equal("www.example.com", csr.Name);
        Assert.Equal(nameof(CsrStatus.Generated), csr.Status);
        Assert.Equal(new[] { "www.example.com", "example.com", "192.0.2.1" }, csr.SubjectAlternativeNames);
        Assert.Equal("CN=www.example.com, O=Contoso, C=US", csr.Subject);
        Assert.Equal("ECC_256", csr.Algorithm);
        Assert.Equal(256, csr.KeySize);
        Assert.StartsWith("-----BEGIN CERTIFICATE REQUEST-----\n", csr.Csr);
        Assert.Matches("^[0-9a-f]{32}$", csr.PublicKeyMd5);
        Assert.Matches("^[0-9a-f]{64}$", csr.PublicKeySha256);
        Assert.False(csr.KeyProtected);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(csr.KeyPath!));
        Assert.Equal("web tier", csr.Remark);
        Assert.Equal("prod", csr.Tags["env"]);
        Assert.Equal(_temp.Root, csr.StorePath);
        Assert.True(Math.Abs((DateTimeOffset.UtcNow - csr.CreatedAt).TotalMinutes) < 1);

        var read = _csrs.Get(csr.Id);
        Assert.Equal(csr.Csr, read.Csr);
        Assert.Equal(csr.PublicKeySha256, read.PublicKeySha256);
        Assert.Equal(csr.SubjectAlternativeNames, read.SubjectAlternativeNames);
    }

    [Fact]
    public void Tags_and_remarks_come_back_exactly_as_given()
    {
        var csr = _csrs.Create(new NewCsrRequest
        {
            CommonName = "t.example.com",
            Algorithm = "ECC",
            Remark = "Ünïcode \"quoted\" remark",
            Tags = new Dictionary<string, string> { ["Env"] = "Prod", ["CostCenter"] = "42", ["owner-team"] = "" },
        });
        var read = _csrs.Get(csr.Id);
        Assert.Equal(new Dictionary<string, string> { ["Env"] = "Prod", ["CostCenter"] = "42", ["owner-team"] = "" }, read.Tags);
        Assert.Equal("Ünïcode \"quoted\" remark", read.Remark);
    }

    [Fact]
    public void Store_files_are_owner_only_on_unix()
    {
        if (OperatingSystem.IsWindows()) return;
        var csr = _csrs.Create(Ecc("a.example.com"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(csr.KeyPath!));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_temp.Root, "csrs", "1.json")));
        foreach (var folder in new[] { _temp.Root, Path.Combine(_temp.Root, "keys"), Path.Combine(_temp.Root, "csrs") })
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        }
    }

    [Fact]
    public void A_key_password_encrypts_the_key_so_that_openssl_needs_it()
    {
        var csr = _csrs.Create(new NewCsrRequest { CommonName = "secure.example.com", Algorithm = "ECC", KeyPassword = KeyProtectionTests.Secure("Pa55word!") });
        Assert.True(csr.KeyProtected);
        Assert.StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----", File.ReadAllText(csr.KeyPath!));
        Assert.DoesNotContain("Pa55word", string.Concat(Directory.GetFiles(_temp.Root, "*", SearchOption.AllDirectories).Select(File.ReadAllText)));

        var key = OpenSsl.Ok($"pkey -in {csr.KeyPath} -passin pass:Pa55word! -pubout");
        var csrPath = Path.Combine(_temp.Folder, "s.csr");
        File.WriteAllText(csrPath, csr.Csr);
        Assert.Equal(OpenSsl.Ok($"req -in {csrPath} -noout -pubkey").Trim(), key.Trim());
        Assert.NotEqual(0, OpenSsl.Run($"pkey -in {csr.KeyPath} -passin pass:nope -noout").ExitCode);
    }

    [Fact]
    public void Ids_grow_and_are_never_reused_after_removal()
    {
        var first = _csrs.Create(Ecc("a.example.com"));
        var second = _csrs.Create(Ecc("b.example.com"));
        _csrs.Remove(second.Id);
        var third = _csrs.Create(Ecc("c.example.com"));
        Assert.Equal(new[] { 1, 2, 3 }, new[] { first.Id, second.Id, third.Id });
    }

    [Fact]
    public void Derived_names_replace_other_characters_and_are_made_unique()
    {
        Assert.Equal("_.example.com", _csrs.Create(Ecc("*.example.com")).Name);
        Assert.Equal("My_Server", _csrs.Create(Ecc("My Server")).Name);
        Assert.Equal("My_Server-2", _csrs.Create(Ecc("My Server")).Name);
        Assert.Equal("My_Server-3", _csrs.Create(Ecc("My Server")).Name);
        var longName = _csrs.Create(Ecc(new string('x', 64))).Name;
        Assert.Equal(50, longName.Length);
        Assert.Equal(50, _csrs.Create(Ecc(new string('x', 64))).Name.Length);
    }

    [Fact]
    public void Get_by_name_is_case_insensitive_and_find_takes_wildcards()
    {
        _csrs.Create(Ecc("a.example.com", "web-1"));
        _csrs.Create(Ecc("b.example.com", "web-2"));
        _csrs.Create(Ecc("c.example.com", "db-1"));
        Assert.Equal("web-2", _csrs.GetByName("WEB-2").Name);
        Assert.Equal(new[] { "web-1", "web-2" }, _csrs.Find("web*").Items.Select(c => c.Name));
        Assert.Equal(new[] { "web-1", "db-1" }, _csrs.Find("*-1").Items.Select(c => c.Name)); // ordered by id
        Assert.Equal(3, _csrs.Find().Items.Count);
        Assert.Empty(_csrs.Find("zzz*").Problems);
    }

    [Fact]
    public void Unknown_id_or_name_is_CsrNotFound()
    {
        _csrs.Create(Ecc("a.example.com", "one"));
        var byId = Assert.Throws<PkiException>(() => _csrs.Get(42));
        Assert.Equal(ErrorIds.CsrNotFound, byId.ErrorId);
        Assert.Equal(42, byId.Target);
        Assert.Equal(ErrorIds.CsrNotFound, Assert.Throws<PkiException>(() => _csrs.GetByName("two")).ErrorId);
        Assert.Equal(ErrorIds.CsrNotFound, Assert.Throws<PkiException>(() => _csrs.Remove(42)).ErrorId);

        var listing = _csrs.Find("two");
        Assert.Empty(listing.Items);
        Assert.Equal(ErrorIds.CsrNotFound, Assert.Single(listing.Problems).ErrorId);
    }

    [Fact]
    public void Reading_an_empty_or_missing_store_finds_nothing_and_creates_nothing()
    {
        Assert.Empty(_csrs.Find().Items);
        Assert.False(Directory.Exists(_temp.Root));
    }

    [Fact]
    public void Draft_then_set_then_generate()
    {
        var draft = _csrs.Create(new NewCsrRequest { CommonName = "draft.example.com", Algorithm = "RSA", Draft = true, Name = "d1" });
        Assert.Equal(nameof(CsrStatus.Draft), draft.Status);
        Assert.Null(draft.Csr);
        Assert.Null(draft.KeyPath);
        Assert.False(Directory.Exists(Path.Combine(_temp.Root, "keys")) && Directory.GetFiles(Path.Combine(_temp.Root, "keys")).Length > 0);

        var edited = _csrs.Update(new SetCsrRequest { Id = draft.Id, CommonName = "final.example.com", Algorithm = "ECC", KeySize = 384, Country = "FR", NewName = "final" });
        Assert.Equal(nameof(CsrStatus.Draft), edited.Status);
        Assert.Equal("ECC_384", edited.Algorithm);
        Assert.Equal("final", edited.Name);
        Assert.Equal(new[] { "final.example.com" }, edited.SubjectAlternativeNames);

        var generated = _csrs.Update(new SetCsrRequest { Id = draft.Id, Generate = true, SubjectAlternativeNames = new[] { "alt.example.com" } });
        Assert.Equal(nameof(CsrStatus.Generated), generated.Status);
        Assert.NotNull(generated.GeneratedAt);
        Assert.Equal(new[] { "final.example.com", "alt.example.com" }, generated.SubjectAlternativeNames);
        var path = Path.Combine(_temp.Folder, "g.csr");
        File.WriteAllText(path, generated.Csr);
        Assert.Contains("C=FR", OpenSsl.Ok($"req -in {path} -noout -subject -nameopt RFC2253"));
        Assert.Contains("NIST CURVE: P-384", OpenSsl.Ok($"req -in {path} -noout -text"));
    }

    [Fact]
    public void A_draft_can_be_named_instead_of_numbered_and_an_unknown_name_is_CsrNotFound()
    {
        _csrs.Create(new NewCsrRequest { CommonName = "n.example.com", Algorithm = "ECC", Draft = true, Name = "by-name" });
        Assert.Equal("FR", _csrs.Update(new SetCsrRequest { Name = "BY-NAME", Country = "fr" }).Country);
        var e = Assert.Throws<PkiException>(() => _csrs.Update(new SetCsrRequest { Name = "missing", Country = "fr" }));
        Assert.Equal(ErrorIds.CsrNotFound, e.ErrorId);
        Assert.Equal("missing", e.Target);
    }

    [Fact]
    public void Changing_only_the_key_size_of_a_draft_keeps_its_family()
    {
        var draft = _csrs.Create(new NewCsrRequest { CommonName = "x.example.com", Algorithm = "ECC", Draft = true });
        Assert.Equal("ECC_521", _csrs.Update(new SetCsrRequest { Id = draft.Id, KeySize = 521 }).Algorithm);
    }

    [Fact]
    public void A_generated_csr_is_immutable()
    {
        var csr = _csrs.Create(Ecc("a.example.com"));
        var before = _temp.Snapshot();
        var e = Assert.Throws<PkiException>(() => _csrs.Update(new SetCsrRequest { Id = csr.Id, Remark = "x" }));
        Assert.Equal(ErrorIds.CsrAlreadyGenerated, e.ErrorId);
        Assert.Equal(PkiErrorKind.InvalidOperation, e.Kind);
        Assert.Equal(before, _temp.Snapshot());
    }

    [Fact]
    public void Remove_deletes_the_record_csr_and_key()
    {
        var csr = _csrs.Create(Ecc("a.example.com"));
        var keep = _csrs.Create(Ecc("b.example.com"));
        var removed = _csrs.Remove(csr.Id);
        Assert.Equal(csr.Name, removed!.Name);
        Assert.False(File.Exists(csr.KeyPath));
        Assert.Equal(new[] { keep.Id }, _csrs.Find().Items.Select(c => c.Id));
        Assert.True(File.Exists(keep.KeyPath));
    }

    [Fact]
    public void Progress_names_each_step_and_warns_about_slow_keys()
    {
        var steps = new List<string>();
        _csrs.Create(new NewCsrRequest { CommonName = "p.example.com", Algorithm = "RSA_4096", KeyPassword = KeyProtectionTests.Secure("x") }, new SynchronousProgress(steps));
        Assert.Equal(4, steps.Count);
        Assert.Contains("RSA 4096-bit", steps[0]);
        Assert.Contains("several seconds", steps[0]);
        Assert.Contains("Encrypting", steps[2]);
    }

    [Fact]
    public void A_cancelled_call_changes_nothing()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var e = Assert.Throws<PkiException>(() => _csrs.Create(Ecc("a.example.com"), null, cancel.Token));
        Assert.Equal(ErrorIds.OperationCancelled, e.ErrorId);
        Assert.False(Directory.Exists(_temp.Root));
    }

    [Fact]
    public void Blank_name_and_zero_key_size_count_as_absent_as_blank_csv_cells_do()
    {
        var csr = _csrs.Create(new NewCsrRequest { CommonName = "csv.example.com", Name = " ", Algorithm = "ECC", KeySize = 0 });
        Assert.Equal("csv.example.com", csr.Name);
        Assert.Equal("ECC_256", csr.Algorithm);
    }

    [Fact]
    public void Several_patterns_find_each_csr_once_and_report_each_literal_name_that_matched_nothing()
    {
        _csrs.Create(Ecc("a.example.com", "web-1"));
        _csrs.Create(Ecc("b.example.com", "web-2"));
        var listing = _csrs.Find(new[] { "web*", "web-1", "*-2", "nope", "none*" });
        Assert.Equal(new[] { "web-1", "web-2" }, listing.Items.Select(c => c.Name));
        var problem = Assert.Single(listing.Problems);
        Assert.Equal(ErrorIds.CsrNotFound, problem.ErrorId);
        Assert.Equal("nope", problem.Target);
    }

    [Fact]
    public void A_key_password_without_generate_is_refused()
    {
        var draft = _csrs.Create(new NewCsrRequest { CommonName = "d.example.com", Draft = true });
        var before = _temp.Snapshot();
        var e = Assert.Throws<PkiException>(() => _csrs.Update(new SetCsrRequest { Id = draft.Id, KeyPassword = KeyProtectionTests.Secure("pw") }));
        Assert.Equal(ErrorIds.KeyPasswordWithoutGenerate, e.ErrorId);
        Assert.Equal(before, _temp.Snapshot());
    }

    [Fact]
    public void A_damaged_record_can_still_be_removed_by_id()
    {
        var csr = _csrs.Create(Ecc("a.example.com"));
        File.WriteAllText(Path.Combine(_temp.Root, "csrs", "1.json"), "{ trunc");
        Assert.Null(_csrs.Remove(csr.Id));
        Assert.False(File.Exists(csr.KeyPath));
        Assert.Empty(Directory.GetFiles(Path.Combine(_temp.Root, "csrs"), "1.*"));
        Assert.Empty(_csrs.Find().Problems);
    }

    [Fact]
    public void Removing_from_a_store_that_does_not_exist_creates_nothing()
    {
        Assert.Equal(ErrorIds.CsrNotFound, Assert.Throws<PkiException>(() => _csrs.Remove(1)).ErrorId);
        Assert.False(Directory.Exists(_temp.Root));
    }

    public static TheoryData<string, Func<NewCsrRequest>> BadRequests => new()
    {
        { ErrorIds.CommonNameMissing, () => new NewCsrRequest { CommonName = "" } },
        { ErrorIds.CommonNameTooLong, () => new NewCsrRequest { CommonName = new string('a', 65) } },
        { ErrorIds.InvalidCountryCode, () => new NewCsrRequest { CommonName = "x", Country = "XX" } },
        { ErrorIds.InvalidDnsName, () => new NewCsrRequest { CommonName = "x", SubjectAlternativeNames = new[] { "ok.example.com,bad_name.example.com" } } },
        { ErrorIds.DnsLabelTooLong, () => new NewCsrRequest { CommonName = "x", SubjectAlternativeNames = new[] { new string('a', 64) + ".com" } } },
        { ErrorIds.MisplacedWildcard, () => new NewCsrRequest { CommonName = "x", SubjectAlternativeNames = new[] { "www.*.example.com" } } },
        { ErrorIds.InvalidIpAddress, () => new NewCsrRequest { CommonName = "x", SubjectAlternativeNames = new[] { "300.1.1.1" } } },
        { ErrorIds.InvalidEmailAddress, () => new NewCsrRequest { CommonName = "x", Email = "nobody" } },
        { ErrorIds.KeySizeNotAllowed, () => new NewCsrRequest { CommonName = "x", Algorithm = "RSA", KeySize = 1024 } },
        { ErrorIds.Sm2KeySizeNotAllowed, () => new NewCsrRequest { CommonName = "x", Algorithm = "SM2", KeySize = 384 } },
        { ErrorIds.UnsupportedAlgorithm, () => new NewCsrRequest { CommonName = "x", Algorithm = "DSA" } },
        { ErrorIds.InvalidName, () => new NewCsrRequest { CommonName = "x", Name = "bad name!" } },
        { ErrorIds.InvalidName, () => new NewCsrRequest { CommonName = "x", Name = new string('n', 51) } },
        { ErrorIds.DuplicateName, () => new NewCsrRequest { CommonName = "x", Name = "EXISTING" } },
        { ErrorIds.RemarkTooLong, () => new NewCsrRequest { CommonName = "x", Remark = new string('r', 1025) } },
        { ErrorIds.InvalidTag, () => new NewCsrRequest { CommonName = "x", Tags = new Dictionary<string, string> { [""] = "v" } } },
        { ErrorIds.KeyPasswordEmpty, () => new NewCsrRequest { CommonName = "x", KeyPassword = new System.Security.SecureString() } },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public void Bad_input_gets_its_own_error_and_leaves_the_store_unchanged(string errorId, Func<NewCsrRequest> request)
    {
        _csrs.Create(Ecc("existing.example.com", "existing"));
        var before = _temp.Snapshot();

        var e = Assert.Throws<PkiException>(() => _csrs.Create(request()));

        Assert.Equal(errorId, e.ErrorId);
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
        Assert.Equal(before, _temp.Snapshot());
    }

    [Fact]
    public void A_store_that_cannot_be_written_is_StoreNotWritable_and_names_the_store()
    {
        Directory.CreateDirectory(_temp.Folder);
        var file = Path.Combine(_temp.Folder, "a-file");
        File.WriteAllText(file, "not a folder");
        var store = new PkiStore(Path.Combine(file, "store"));
        var e = Assert.Throws<PkiException>(() => Services.Csrs(store).Create(Ecc("a.example.com")));
        Assert.Equal(ErrorIds.StoreNotWritable, e.ErrorId);
        Assert.Equal(PkiErrorKind.PermissionDenied, e.Kind);
        Assert.Contains(store.Root, e.Message);
        Assert.Equal("not a folder", File.ReadAllText(file));
    }

    [Fact]
    public void A_failed_write_removes_the_files_it_already_wrote()
    {
        _csrs.Create(Ecc("first.example.com"));
        var before = _temp.Snapshot();
        // The key and the CSR of the second request are written; the record's rename then fails.
        var e = Assert.Throws<PkiException>(() =>
            AtomicWriteFailure.During(_temp.Root, Path.Combine("csrs", "2.json"), () => _csrs.Create(Ecc("second.example.com"))));
        Assert.Equal(ErrorIds.StoreNotWritable, e.ErrorId);
        Assert.Contains("simulated", e.Message);
        Assert.Equal(before, _temp.Snapshot());
        Assert.Empty(Directory.GetFiles(_temp.Root, "*.tmp", SearchOption.AllDirectories));
    }

    private sealed class SynchronousProgress(List<string> steps) : IProgress<string>
    {
        public void Report(string value) => steps.Add(value);
    }
}
