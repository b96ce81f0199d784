using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Store;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Store;

public sealed class PkiStoreTests : IDisposable
{
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Location_prefers_the_explicit_path_then_the_environment_variable_then_xdg()
    {
        var saved = (Environment.GetEnvironmentVariable(StoreLocation.EnvironmentVariable), Environment.GetEnvironmentVariable("XDG_DATA_HOME"));
        try
        {
            Environment.SetEnvironmentVariable(StoreLocation.EnvironmentVariable, "/tmp/from-env");
            Environment.SetEnvironmentVariable("XDG_DATA_HOME", "/tmp/xdg");
            Assert.Equal("/tmp/explicit", StoreLocation.Resolve("/tmp/explicit"));
            Assert.Equal("/tmp/from-env", StoreLocation.Resolve(null));

            Environment.SetEnvironmentVariable(StoreLocation.EnvironmentVariable, null);
            Assert.Equal(OperatingSystem.IsWindows()
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "PkiCmdlets")
                : "/tmp/xdg/PkiCmdlets", StoreLocation.Resolve(null));

            Environment.SetEnvironmentVariable("XDG_DATA_HOME", null);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(Path.Combine(Environment.GetEnvironmentVariable("HOME")!, ".local", "share", "PkiCmdlets"), StoreLocation.Resolve(null));
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable(StoreLocation.EnvironmentVariable, saved.Item1);
            Environment.SetEnvironmentVariable("XDG_DATA_HOME", saved.Item2);
        }
    }

    [Fact]
    public void The_first_write_records_the_format_version()
    {
        Services.Csrs(_temp.Open()).Create(new NewCsrRequest { CommonName = "a.example.com", Algorithm = "ECC" });
        Assert.Contains("\"formatVersion\": 1", File.ReadAllText(Path.Combine(_temp.Root, StoreLayout.VersionFile)));
    }

    [Fact]
    public void A_store_written_by_a_newer_version_is_refused_with_a_clear_error()
    {
        Directory.CreateDirectory(_temp.Root);
        File.WriteAllText(Path.Combine(_temp.Root, StoreLayout.VersionFile), "{ \"formatVersion\": 7 }");
        var e = Assert.Throws<PkiException>(() => _temp.Open());
        Assert.Equal(ErrorIds.StoreVersionUnsupported, e.ErrorId);
        Assert.Contains("7", e.Message);
        Assert.Contains("newer", e.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{ \"id\": 1, \"name\": \"tru")]
    [InlineData("not json at all")]
    [InlineData("{ \"id\": 99 }")]
    public void A_damaged_record_is_named_and_the_rest_of_the_store_stays_usable(string damage)
    {
        var csrs = Services.Csrs(_temp.Open());
        csrs.Create(new NewCsrRequest { CommonName = "a.example.com", Algorithm = "ECC", Name = "a" });
        csrs.Create(new NewCsrRequest { CommonName = "b.example.com", Algorithm = "ECC", Name = "b" });
        var damaged = Path.Combine(_temp.Root, "csrs", "1.json");
        File.WriteAllText(damaged, damage);

        var e = Assert.Throws<PkiException>(() => csrs.Get(1));
        Assert.Equal(ErrorIds.StoreRecordCorrupt, e.ErrorId);
        Assert.Contains(damaged, e.Message);
        Assert.Equal(damaged, e.Target);

        var listing = csrs.Find();
        Assert.Equal(new[] { "b" }, listing.Items.Select(c => c.Name));
        Assert.Equal(damaged, Assert.Single(listing.Problems).Target);

        Assert.Equal("b", csrs.Get(2).Name);
        Assert.Equal(3, csrs.Create(new NewCsrRequest { CommonName = "c.example.com", Algorithm = "ECC" }).Id);
    }

    [Fact]
    public void A_record_whose_csr_file_is_gone_is_reported_as_damaged()
    {
        var csrs = Services.Csrs(_temp.Open());
        csrs.Create(new NewCsrRequest { CommonName = "a.example.com", Algorithm = "ECC" });
        File.Delete(Path.Combine(_temp.Root, "csrs", "1.csr.pem"));
        Assert.Equal(ErrorIds.StoreRecordCorrupt, Assert.Throws<PkiException>(() => csrs.Get(1)).ErrorId);
    }

    [Fact]
    public void A_crash_between_write_and_rename_leaves_the_old_content()
    {
        var store = _temp.Open();
        store.EnsureCreated();
        store.WriteText("file.txt", "old");
        Assert.Throws<PkiException>(() => AtomicWriteFailure.During(_temp.Root, "file.txt", () => store.WriteText("file.txt", "new")));
        Assert.Equal("old", store.ReadText("file.txt"));
        Assert.Equal(new[] { "file.txt", StoreLayout.VersionFile }.OrderBy(n => n), Directory.GetFiles(_temp.Root).Select(Path.GetFileName).OrderBy(n => n));
    }

    [Fact]
    public void A_held_lock_makes_another_writer_time_out_with_StoreLockTimeout()
    {
        var holder = _temp.Open();
        using (holder.Lock(CancellationToken.None))
        {
            var waiter = _temp.Open(TimeSpan.FromMilliseconds(300));
            var e = Assert.Throws<PkiException>(() => Services.Csrs(waiter).Create(new NewCsrRequest { CommonName = "a.example.com", Algorithm = "ECC" }));
            Assert.Equal(ErrorIds.StoreLockTimeout, e.ErrorId);
            Assert.Equal(PkiErrorKind.OperationTimeout, e.Kind);
            Assert.Contains(StoreLayout.LockFile, e.Message);
        }
        Assert.Empty(Services.Csrs(_temp.Open()).Find().Items);
    }

    [Fact]
    public void A_released_lock_can_be_taken_again()
    {
        var store = _temp.Open(TimeSpan.FromMilliseconds(300));
        using (store.Lock(CancellationToken.None)) { }
        using (store.Lock(CancellationToken.None)) { }
    }

    [Theory]
    [InlineData("web*", "web-1", true)]
    [InlineData("WEB-?", "web-1", true)]
    [InlineData("web-[12]", "web-2", true)]
    [InlineData("web-[12]", "web-3", false)]
    [InlineData("web", "web-1", false)]
    [InlineData("a.b", "aXb", false)]
    [InlineData("web`*", "web*", true)]
    [InlineData("web`*", "web-1", false)]
    public void Name_patterns_are_powershell_wildcards(string pattern, string name, bool matches) =>
        Assert.Equal(matches, new NamePattern(pattern).IsMatch(name));
}
