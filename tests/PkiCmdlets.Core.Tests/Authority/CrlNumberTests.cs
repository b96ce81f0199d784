using System.Security.Cryptography;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Revocation;
using PkiCmdlets.Core.Store;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Authority;

/// <summary>
/// CRL numbers: taken durably before any CRL carries one, so that a crash at any write can skip a number but never give
/// it to two different CRLs; never going back, whichever record of the last one was rolled back; and never a CRL that
/// drops a certificate the last one listed.
/// </summary>
public sealed class CrlNumberTests : IDisposable
{
    private readonly Hierarchy _pki = new("ECC_256");

    public void Dispose() => _pki.Dispose();

    private string StatePath => Path.Combine(_pki.Store.Root, StoreLayout.CrlNumber(_pki.Sub.Id));

    private string CrlPath => Path.Combine(_pki.Store.Root, StoreLayout.Crl(_pki.Sub.Id));

    private PublishedCrl Publish(string? path = null) =>
        new CrlService(_pki.Open()).Publish(new PublishCrlRequest { Issuer = new CaIdentity("Sub"), AsPem = true, Path = path, Force = true });

    private IssuedCertificate IssueAndRevoke(string name)
    {
        var issued = _pki.Issue(Hierarchy.Csr(KeySpec.Ecc(256), name));
        Services.Certificates(_pki.Open()).Revoke(issued.Identifier, RevocationReason.KeyCompromise);
        return issued;
    }

    /// <summary>Each CRL file's number and content hash: two different contents under one number is the failure.</summary>
    private static void Collect(Dictionary<long, HashSet<string>> seen, string path)
    {
        if (!File.Exists(path)) return;
        var bytes = File.ReadAllBytes(path);
        var der = bytes[0] == 0x30 ? bytes : Core.Formats.Pem.Decode(File.ReadAllText(path), Core.Formats.Pem.CrlLabel);
        var number = StoredCrl.Read(der).Number;
        if (!seen.TryGetValue(number, out var hashes)) seen[number] = hashes = new HashSet<string>();
        hashes.Add(Convert.ToHexString(SHA256.HashData(der)));
    }

    [Theory]
    [InlineData("number")]
    [InlineData("copy")]
    [InlineData("crl")]
    public void A_crash_at_any_write_of_Publish_Crl_never_gives_one_number_to_two_CRLs(string failingWrite)
    {
        IssueAndRevoke("one.example.com");
        var copy = Path.Combine(_pki.Store.Folder, "published.crl");
        var seen = new Dictionary<long, HashSet<string>>();
        Collect(seen, Publish(copy).StoreFile);
        IssueAndRevoke("two.example.com");

        var failing = failingWrite switch
        {
            "number" => StatePath,
            "copy" => copy,
            _ => CrlPath,
        };
        AtomicWriteFailure.During(Path.GetDirectoryName(failing)!, Path.GetFileName(failing), () => Assert.ThrowsAny<Exception>(() => Publish(copy)));
        Collect(seen, CrlPath);
        Collect(seen, copy);
        var next = Publish(copy);
        Collect(seen, CrlPath);

        Assert.All(seen, pair => Assert.True(pair.Value.Count == 1, $"CRL number {pair.Key} was given to {pair.Value.Count} different CRLs"));
        Assert.Equal(2, next.RevokedCount);
        Assert.True(next.CrlNumber >= 2);
    }

    [Fact]
    public void The_number_is_taken_before_the_CRL_is_written_so_a_crash_between_skips_it()
    {
        Assert.Equal(1, Publish().CrlNumber);
        AtomicWriteFailure.During(_pki.Store.Root, StoreLayout.Crl(_pki.Sub.Id), () => Assert.ThrowsAny<Exception>(() => Publish()));

        Assert.Contains("\"lastCrlNumber\": 2", File.ReadAllText(StatePath));
        Assert.Equal(1, StoredCrl.Read(Core.Formats.Pem.Decode(File.ReadAllText(CrlPath), Core.Formats.Pem.CrlLabel)).Number);
        Assert.Equal(3, Publish().CrlNumber);
    }

    [Fact]
    public void A_rolled_back_or_lost_number_file_never_makes_the_numbers_go_back()
    {
        Publish();
        Publish();
        Assert.Equal(3, Publish().CrlNumber);

        File.WriteAllText(StatePath, File.ReadAllText(StatePath).Replace("\"lastCrlNumber\": 3", "\"lastCrlNumber\": 1"));
        Assert.Equal(4, Publish().CrlNumber);

        File.Delete(StatePath);
        Assert.Equal(5, Publish().CrlNumber);
    }

    [Fact]
    public void A_CRL_is_never_published_without_a_certificate_the_last_one_listed()
    {
        var revoked = IssueAndRevoke("revoked.example.com");
        Assert.Equal(1, Publish().RevokedCount);
        // A store from before the chain and the head (its CRL state knows no journal), whose journal was then lost.
        File.WriteAllText(StatePath, "{ \"lastCrlNumber\": 1 }");
        File.Delete(Path.Combine(_pki.Store.Root, StoreLayout.CertificateJournal(_pki.Sub.Id)));
        File.Delete(Path.Combine(_pki.Store.Root, StoreLayout.JournalHead(_pki.Sub.Id)));
        var before = _pki.Store.Snapshot();

        var refused = Assert.Throws<PkiException>(() => Publish());

        Assert.Equal(ErrorIds.StoreRecordCorrupt, refused.ErrorId);
        Assert.Contains(revoked.SerialNumber, refused.Message);
        Assert.Equal(before, _pki.Store.Snapshot());
    }

    [Fact]
    public void A_damaged_stored_CRL_is_named_and_nothing_is_published()
    {
        Publish();
        File.WriteAllText(CrlPath, "-----BEGIN X509 CRL-----\nMIIB\n-----END X509 CRL-----\n");
        var before = _pki.Store.Snapshot();

        var refused = Assert.Throws<PkiException>(() => Publish());

        Assert.Equal(ErrorIds.StoreRecordCorrupt, refused.ErrorId);
        Assert.Equal(CrlPath, refused.Target);
        Assert.Equal(before, _pki.Store.Snapshot());
    }
}
