using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Revocation;
using PkiCmdlets.Core.Store;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Store;

/// <summary>
/// Store hygiene: a private key others can read is refused with a word (never used as if nothing were wrong), a
/// -StorePath that is a file is a clear error, and a CA whose record is damaged hides none of its certificates.
/// </summary>
public sealed class StoreHygieneTests : IDisposable
{
    private static readonly string Csr = Hierarchy.Csr(KeySpec.Ecc(256), "www.example.com");
    private readonly Hierarchy _pki = new("ECC_256");

    public void Dispose() => _pki.Dispose();

    private string Full(string relative) => Path.Combine(_pki.Store.Root, relative);

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, false)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, false)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute, true)]
    public void A_CA_key_or_key_folder_others_can_reach_is_refused_naming_it_and_saying_how_to_fix_it(UnixFileMode mode, bool folder)
    {
        if (OperatingSystem.IsWindows()) return; // Windows: the store's owner-only access list, inherited, not modes
        var path = folder ? Full(StoreLayout.KeyFolder) : Full(StoreLayout.CaKey(_pki.Sub.Id));
        File.SetUnixFileMode(path, mode);
        var before = _pki.Store.Snapshot();

        var error = Assert.Throws<PkiException>(() => _pki.Issue(Csr));

        Assert.Equal(ErrorIds.KeyFileNotPrivate, error.ErrorId);
        Assert.Equal(path, error.Target);
        Assert.Contains(folder ? "chmod 700" : "chmod 600", error.Message);
        Assert.Equal(before, _pki.Store.Snapshot());
        File.SetUnixFileMode(path, folder ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute : UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Equal("www.example.com", _pki.Issue(Csr).CommonName);
    }

    [Fact]
    public void A_CSR_key_others_can_read_is_not_exported()
    {
        if (OperatingSystem.IsWindows()) return;
        var csr = Services.Csrs(_pki.Open()).Create(new NewCsrRequest { CommonName = "www.example.com", Algorithm = "ECC_256" });
        var issued = _pki.Issue(csr.Csr!);
        File.SetUnixFileMode(Full(StoreLayout.CsrKey(csr.Id)), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var error = Assert.Throws<PkiException>(() => new CertificateExportService(_pki.Open()).Export(new ExportRequest
        {
            Identifier = issued.Identifier, Format = ExportFormat.Pem, Path = Path.Combine(_pki.Store.Folder, "www.pem"), IncludePrivateKey = true,
        }));

        Assert.Equal(ErrorIds.KeyFileNotPrivate, error.ErrorId);
        Assert.False(File.Exists(Path.Combine(_pki.Store.Folder, "www.pem")));
    }

    [Fact]
    public void A_store_path_that_is_a_file_is_StorePathInvalid()
    {
        var file = _pki.File("not-a-folder", "text");

        var error = Assert.Throws<PkiException>(() => new PkiStore(file));

        Assert.Equal(ErrorIds.StorePathInvalid, error.ErrorId);
        Assert.Equal(file, error.Target);
        Assert.Contains("is a file", error.Message);
    }

    [Fact]
    public void Certificates_of_a_CA_whose_record_is_damaged_are_listed_and_revoked_not_CertificateNotFound()
    {
        var issued = _pki.Issue(Csr);
        File.WriteAllText(Full(StoreLayout.CaRecord(_pki.Sub.Id)), "{ damaged");
        var certificates = Services.Certificates(_pki.Open());

        var listed = certificates.Find(new CertificateQuery());
        Assert.Equal(issued.Identifier, Assert.Single(listed.Items).Identifier);
        Assert.Equal(_pki.Sub.Id, listed.Items[0].IssuerId);
        Assert.Contains(listed.Problems, p => Equals(p.Target, Full(StoreLayout.CaRecord(_pki.Sub.Id))));

        var revoked = certificates.Revoke(issued.Identifier, RevocationReason.KeyCompromise);

        Assert.Equal(nameof(CertificateStatus.Revoked), revoked.Status);
        Assert.Equal(nameof(CertificateStatus.Revoked), certificates.Get(issued.Identifier).Status);
    }
}
