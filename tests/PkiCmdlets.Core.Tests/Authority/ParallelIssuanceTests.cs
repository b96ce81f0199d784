using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Store;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Authority;

/// <summary>
/// IssuanceBatch.Submit, New-ServerCertificate's pipeline: requests are checked and signed on worker threads, yet the
/// certificates come back in the order the requests came, each bad request is refused with the error Add throws for
/// it (and the refusals come back in their order), and a batch that fails or is never committed leaves the store as it was.
/// </summary>
public sealed class ParallelIssuanceTests : IDisposable
{
    private readonly Hierarchy _pki = new("RSA_2048");
    private static readonly string RsaCsr = Hierarchy.Csr(KeySpec.Rsa(2048), "www.example.com", "example.com");

    public void Dispose() => _pki.Dispose();

    private string JournalPath => Path.Combine(_pki.Store.Root, StoreLayout.CertificateJournal(_pki.Sub.Id));

    private CertificateService Certificates => Services.Certificates(_pki.Open());

    private static NewCertificateRequest Good(int i) =>
        new() { Csr = RsaCsr, Issuer = new CaIdentity("Sub"), CommonName = $"host{i}.example.com" };

    /// <summary>Requests that each break one rule, by name: the request, then what the test expects Add to throw.</summary>
    public static TheoryData<string> BadRequests => new(Bad.Keys);

    private static readonly Dictionary<string, Func<NewCertificateRequest>> Bad = new()
    {
        ["tampered signature"] = () => new() { Csr = Tampered(RsaCsr), Issuer = new CaIdentity("Sub") },
        ["malformed PEM"] = () => new() { Csr = "-----BEGIN CERTIFICATE REQUEST-----\nMIIB@@@\n-----END CERTIFICATE REQUEST-----\n", Issuer = new CaIdentity("Sub") },
        ["no CSR"] = () => new() { Issuer = new CaIdentity("Sub") },
        ["a missing CSR file"] = () => new() { CsrPath = "/nonexistent/www.csr", Issuer = new CaIdentity("Sub") },
        ["a root as issuer"] = () => new() { Csr = RsaCsr, Issuer = new CaIdentity("Root") },
        ["an unknown issuer"] = () => new() { Csr = RsaCsr, Issuer = new CaIdentity("Nobody") },
        ["an ECC key to an RSA issuer"] = () => new() { Csr = Hierarchy.Csr(KeySpec.Ecc(256), "www.example.com"), Issuer = new CaIdentity("Sub") },
        ["another algorithm"] = () => new() { Csr = RsaCsr, Issuer = new CaIdentity("Sub"), Algorithm = "RSA_4096" },
        ["validity beyond the issuer"] = () => new() { Csr = RsaCsr, Issuer = new CaIdentity("Sub"), Years = 20 },
        ["a bad domain"] = () => new() { Csr = RsaCsr, Issuer = new CaIdentity("Sub"), Domains = new[] { "bad_name.example.com" } },
        ["CRL without a URL"] = () => new() { Csr = RsaCsr, Issuer = new CaIdentity("Sub"), EnableCrl = true },
        ["no server name"] = () => new() { Csr = Hierarchy.Csr(KeySpec.Rsa(2048), "Web Server"), Issuer = new CaIdentity("Sub") },
        ["an unknown profile"] = () => new() { Csr = RsaCsr, Issuer = new CaIdentity("Sub"), Profile = "Nonesuch" },
        ["tampered signature and a root as issuer"] = () => new() { Csr = Tampered(RsaCsr), Issuer = new CaIdentity("Root") },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public void A_bad_request_is_refused_with_the_error_Add_throws_and_changes_nothing(string which)
    {
        var before = _pki.Store.Snapshot();
        PkiException thrown;
        using (var batch = Certificates.BeginBatch())
        {
            thrown = Assert.Throws<PkiException>(() => batch.Add(Bad[which]()));
        }

        using (var batch = Certificates.BeginBatch())
        {
            batch.Submit(Bad[which]());
            var refused = Assert.Single(batch.TakeRefused(wait: true));
            Assert.Empty(batch.Commit());

            Assert.Equal(thrown.ErrorId, refused.ErrorId);
            Assert.Equal(thrown.Kind, refused.Kind);
            Assert.Equal(thrown.Message, refused.Message);
            Assert.Equal(thrown.Target, refused.Target);
        }
        Assert.Equal(before, _pki.Store.Snapshot());
    }

    [Fact]
    public void Certificates_come_back_in_the_order_submitted_and_refusals_in_theirs()
    {
        var requests = Enumerable.Range(0, 40).Select(Good).ToList();
        requests[3] = Bad["tampered signature"]();
        requests[17] = Bad["a root as issuer"]();
        requests[30] = Bad["an ECC key to an RSA issuer"]();

        using var batch = Certificates.BeginBatch();
        var refused = new List<PkiException>();
        foreach (var request in requests)
        {
            batch.Submit(request);
            refused.AddRange(batch.TakeRefused());
        }
        refused.AddRange(batch.TakeRefused(wait: true));
        var issued = batch.Commit();

        Assert.Equal(new[] { ErrorIds.CsrSignatureInvalid, ErrorIds.IssuerNotIntermediate, ErrorIds.KeyAlgorithmMismatch }, refused.Select(r => r.ErrorId));
        var expected = Enumerable.Range(0, 40).Where(i => i != 3 && i != 17 && i != 30).Select(i => $"host{i}.example.com");
        Assert.Equal(expected, issued.Select(c => c.CommonName));
        Assert.Equal(37, issued.Select(c => c.SerialNumber).Distinct().Count());
        Assert.Equal(38, File.ReadAllText(JournalPath).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(issued.Select(c => c.Identifier), Certificates.Find(new CertificateQuery()).Items.Select(c => c.Identifier));
        // Every certificate is signed by the intermediate and carries its own request's name.
        using var sub = X509Certificate2.CreateFromPem(_pki.Sub.Pem);
        Assert.All(issued, c =>
        {
            Assert.Equal(sub.Subject, c.Certificate!.Issuer);
            Assert.True(c.Certificate.GetRSAPublicKey() != null);
            Assert.Contains(c.CommonName, c.Certificate.Subject);
        });
    }

    [Fact]
    public void Add_and_Submit_in_one_batch_come_back_in_the_order_called()
    {
        using var batch = Certificates.BeginBatch();
        batch.Submit(Good(0));
        batch.Add(Good(1));
        batch.Submit(Good(2));
        batch.Submit(Good(3));
        batch.Add(Good(4));

        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"host{i}.example.com"), batch.Commit().Select(c => c.CommonName));
    }

    [Fact]
    public void Commit_waits_for_every_submitted_request_and_returns_them_all_once()
    {
        using var batch = Certificates.BeginBatch();
        for (var i = 0; i < 20; i++) batch.Submit(Good(i));
        Assert.Equal(20, batch.Count);

        Assert.Equal(20, batch.Commit().Count);
        Assert.Equal(0, batch.Count);
        Assert.Empty(batch.Commit());
        Assert.Empty(batch.TakeRefused(wait: true));
    }

    [Fact]
    public void A_failed_commit_of_submitted_requests_returns_nothing_and_leaves_the_store_as_it_was()
    {
        _pki.Issue(RsaCsr); // the journal exists: the failure is an append's
        var before = _pki.Store.Snapshot();
        using var batch = Certificates.BeginBatch();
        for (var i = 0; i < 10; i++) batch.Submit(Good(i));

        AtomicWriteFailure.DuringJournalFlush(JournalPath, () =>
            Assert.Equal(ErrorIds.StoreNotWritable, Assert.Throws<PkiException>(() => batch.Commit()).ErrorId));

        Assert.Equal(before, _pki.Store.Snapshot());
    }

    [Fact]
    public void A_batch_disposed_before_its_commit_records_nothing()
    {
        var before = _pki.Store.Snapshot();
        var batch = Certificates.BeginBatch();
        for (var i = 0; i < 30; i++) batch.Submit(Good(i));
        batch.Dispose();

        Assert.Equal(before, _pki.Store.Snapshot());
        Assert.Throws<ObjectDisposedException>(() => batch.Submit(Good(0)));
    }

    [Fact]
    public void A_cancelled_commit_records_nothing()
    {
        var before = _pki.Store.Snapshot();
        using var batch = Certificates.BeginBatch();
        for (var i = 0; i < 10; i++) batch.Submit(Good(i));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Equal(ErrorIds.OperationCancelled, Assert.Throws<PkiException>(() => batch.Commit(cancelled.Token)).ErrorId);
        Assert.Equal(before, _pki.Store.Snapshot());
    }

    [Theory]
    [InlineData("RSA_2048")]
    [InlineData("ECC_256")]
    [InlineData("SM2_256")]
    public void Every_family_issues_in_parallel_with_unique_serials_that_verify_under_the_issuer(string algorithm)
    {
        using var pki = new Hierarchy(algorithm);
        var csr = Hierarchy.Csr(KeySpec.FromAlgorithmName(algorithm), "www.example.com");
        using var batch = Services.Certificates(pki.Open()).BeginBatch();
        for (var i = 0; i < 64; i++) batch.Submit(new NewCertificateRequest { Csr = csr, Issuer = new CaIdentity("Sub"), CommonName = $"host{i}.example.com" });
        Assert.Empty(batch.TakeRefused(wait: true));
        var issued = batch.Commit();

        Assert.Equal(Enumerable.Range(0, 64).Select(i => $"host{i}.example.com"), issued.Select(c => c.CommonName));
        Assert.Equal(64, issued.Select(c => c.SerialNumber).Distinct().Count());
        var issuer = PublicKeyInfo.FromSubjectPublicKeyInfo(
            Org.BouncyCastle.Asn1.X509.X509CertificateStructure.GetInstance(Core.Formats.Pem.Decode(pki.Sub.Pem, "CERTIFICATE")).SubjectPublicKeyInfo.GetDerEncoded(), "sub");
        Assert.All(issued, c =>
        {
            var certificate = Org.BouncyCastle.Asn1.X509.X509CertificateStructure.GetInstance(c.Certificate!.RawData);
            Assert.True(issuer.Verify(certificate.SignatureAlgorithm.GetDerEncoded(), certificate.TbsCertificate.GetDerEncoded(), certificate.Signature.GetOctets()));
        });
    }

    private static string Tampered(string pem)
    {
        var der = Core.Formats.Pem.Decode(pem, "CERTIFICATE REQUEST");
        der[^5] ^= 0x01;
        return Core.Formats.Pem.Encode("CERTIFICATE REQUEST", der);
    }
}
