using System.Security.Cryptography.X509Certificates;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Authority;

/// <summary>Export-IssuedCertificate: files that openssl and .NET open, the key only when the store has it, and no overwrite without -Force.</summary>
public sealed class ExportTests : IDisposable
{
    private readonly Hierarchy _pki = new("ECC_256");
    private readonly CertificateExportService _exports;

    public ExportTests()
    {
        _exports = new CertificateExportService(_pki.Open());
    }

    public void Dispose() => _pki.Dispose();

    /// <summary>A certificate whose CSR (and key) New-Csr made in the store, optionally with a key password.</summary>
    private IssuedCertificate IssueFromStoredCsr(string? keyPassword = null)
    {
        var csr = Services.Csrs(_pki.Open()).Create(new NewCsrRequest
        {
            CommonName = "www.example.com",
            Algorithm = "ECC_256",
            KeyPassword = keyPassword == null ? null : Services.Password(keyPassword),
        });
        return _pki.Issue(csr.Csr!);
    }

    private string Target(string name) => Path.Combine(_pki.Store.Folder, name);

    [Fact]
    public void A_pfx_with_chain_and_key_opens_in_openssl_and_dotnet()
    {
        var issued = IssueFromStoredCsr();
        Assert.NotNull(issued.CsrId);
        var path = _exports.Export(new ExportRequest
        {
            Identifier = issued.Identifier, Format = ExportFormat.Pfx, Path = Target("www.pfx"),
            IncludeChain = true, IncludeRoot = true, IncludePrivateKey = true, Password = Services.Password("pfx-pw"),
        })[0];

        var info = OpenSsl.Ok($"pkcs12 -in {path} -info -noout -passin pass:pfx-pw");
        Assert.Contains("AES-256-CBC", info);
        Assert.Contains("MAC: sha256", info);
        var dump = OpenSsl.Ok($"pkcs12 -in {path} -nodes -passin pass:pfx-pw");
        Assert.Equal(3, CountOf(dump, "BEGIN CERTIFICATE"));
        Assert.Contains("BEGIN PRIVATE KEY", dump);

        using var loaded = X509CertificateLoader.LoadPkcs12FromFile(path, "pfx-pw");
        Assert.True(loaded.HasPrivateKey);
        Assert.Equal(issued.Thumbprint, loaded.Thumbprint);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void The_legacy_pfx_is_3des()
    {
        var issued = IssueFromStoredCsr();
        var path = _exports.Export(new ExportRequest
        {
            Identifier = issued.Identifier, Format = ExportFormat.Pfx, Path = Target("old.pfx"),
            IncludePrivateKey = true, Password = Services.Password("pfx-pw"), LegacyEncryption = true,
        })[0];
        Assert.Contains("pbeWithSHA1And3-KeyTripleDES-CBC", OpenSsl.Ok($"pkcs12 -in {path} -info -noout -passin pass:pfx-pw"));
    }

    [Fact]
    public void Pem_bundles_the_chain_and_an_encrypted_key_that_openssl_reads()
    {
        var issued = IssueFromStoredCsr("csr-pw");
        var path = _exports.Export(new ExportRequest
        {
            Identifier = issued.Identifier, Format = ExportFormat.Pem, Path = Target("www.pem"), IncludeChain = true,
            IncludePrivateKey = true, KeyPassword = Services.Password("csr-pw"), Password = Services.Password("out-pw"),
        })[0];
        var text = File.ReadAllText(path);
        // The chain without the root, as web servers send it.
        Assert.StartsWith(issued.X509Certificate + _pki.Sub.Pem + "-----BEGIN ENCRYPTED PRIVATE KEY-----", text);
        Assert.Contains("BEGIN ENCRYPTED PRIVATE KEY", text);
        var keyFile = Target("key-only.pem");
        File.WriteAllText(keyFile, text.Substring(text.IndexOf("-----BEGIN ENCRYPTED", StringComparison.Ordinal)));
        var publicFromKey = OpenSsl.Ok($"pkey -in {keyFile} -passin pass:out-pw -pubout");
        Assert.Equal(publicFromKey, OpenSsl.Ok($"x509 -in {path} -noout -pubkey"));
    }

    [Fact]
    public void Der_is_the_bare_certificate()
    {
        var issued = _pki.Issue(Hierarchy.Csr(KeySpec.Ecc(256), "www.example.com"));
        var path = _exports.Export(new ExportRequest { Identifier = issued.Identifier, Format = ExportFormat.Der, Path = Target("www.cer") })[0];
        Assert.Equal(issued.Certificate!.RawData, File.ReadAllBytes(path));
        Assert.Contains("www.example.com", OpenSsl.Ok($"x509 -inform DER -in {path} -noout -subject"));
    }

    [Fact]
    public void An_existing_file_is_kept_without_Force_and_replaced_with_it()
    {
        var issued = _pki.Issue(Hierarchy.Csr(KeySpec.Ecc(256), "www.example.com"));
        var path = Target("exists.pem");
        File.WriteAllText(path, "keep me");
        var error = Assert.Throws<PkiException>(() => _exports.Export(new ExportRequest { Identifier = issued.Identifier, Path = path }));
        Assert.Equal(ErrorIds.ExportFileExists, error.ErrorId);
        Assert.Equal(path, error.Target);
        Assert.Equal("keep me", File.ReadAllText(path));
        _exports.Export(new ExportRequest { Identifier = issued.Identifier, Path = path, Force = true });
        Assert.Equal(issued.X509Certificate, File.ReadAllText(path));
    }

    [Fact]
    public void Impossible_exports_are_refused_before_anything_is_written()
    {
        var foreign = _pki.Issue(Hierarchy.Csr(KeySpec.Ecc(256), "foreign.example.com"));
        var stored = IssueFromStoredCsr("csr-pw");
        void Refused(string errorId, ExportRequest request)
        {
            request.Path = Target("never.out");
            Assert.Equal(errorId, Assert.Throws<PkiException>(() => _exports.Export(request)).ErrorId);
            Assert.False(File.Exists(request.Path));
        }

        Refused(ErrorIds.PrivateKeyNotAvailable, new ExportRequest { Identifier = foreign.Identifier, IncludePrivateKey = true });
        Refused(ErrorIds.CsrKeyPasswordRequired, new ExportRequest { Identifier = stored.Identifier, IncludePrivateKey = true });
        Refused(ErrorIds.KeyPasswordIncorrect, new ExportRequest { Identifier = stored.Identifier, IncludePrivateKey = true, KeyPassword = Services.Password("wrong") });
        Refused(ErrorIds.PfxPasswordRequired, new ExportRequest { Identifier = foreign.Identifier, Format = ExportFormat.Pfx });
        Refused(ErrorIds.ExportFormatConflict, new ExportRequest { Identifier = foreign.Identifier, Format = ExportFormat.Der, IncludeChain = true });
        Refused(ErrorIds.CertificateNotFound, new ExportRequest { Identifier = "00000000000000000000000000000000" });
    }

    [Fact]
    public void A_missing_folder_or_a_folder_as_path_is_named_plainly_before_the_certificate_is_read()
    {
        var folder = Path.GetDirectoryName(Target("x.pem"))!;
        var missing = Path.Combine(folder, "nofolder", "x.pem");

        // Check alone, as Export-IssuedCertificate runs it before the pipeline makes anything: no certificate needed.
        var error = Assert.Throws<PkiException>(() => CertificateExportService.Check(new ExportRequest { Path = missing }));
        Assert.Equal(ErrorIds.OutputFileNotWritable, error.ErrorId);
        Assert.Equal(PkiErrorKind.ObjectNotFound, error.Kind);
        Assert.Equal(missing, error.Target);
        Assert.Contains("'" + Path.Combine(folder, "nofolder") + "' does not exist", error.Message);
        Assert.DoesNotContain(".tmp", error.Message);

        var isFolder = Assert.Throws<PkiException>(() => CertificateExportService.Check(new ExportRequest { Path = folder, Force = true }));
        Assert.Equal(ErrorIds.OutputFileNotWritable, isFolder.ErrorId);
        Assert.Equal(PkiErrorKind.InvalidArgument, isFolder.Kind);
        Assert.Contains("is a folder", isFolder.Message);
        Assert.DoesNotContain("already exists", isFolder.Message);
    }

    [Theory]
    [InlineData(ExportFormat.Pfx, "A PFX file is always protected")]
    [InlineData(ExportFormat.Pem, "leave -Password out")]
    public void An_empty_password_is_named_as_the_Password_it_was(ExportFormat format, string words)
    {
        var error = Assert.Throws<PkiException>(() => CertificateExportService.Check(new ExportRequest
        {
            Path = Target("empty.out"), Format = format, Password = new System.Security.SecureString(),
        }));
        Assert.Equal(ErrorIds.KeyPasswordEmpty, error.ErrorId);
        Assert.Contains("-Password", error.Message);
        Assert.DoesNotContain("-KeyPassword", error.Message);
        Assert.Contains(words, error.Message);
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, string.Empty).Length) / part.Length;
}
