using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Store;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Authority;

/// <summary>
/// Import-CA is all or nothing: every check, including everything Get-CA will read from the certificate, runs before the
/// first file is written, so a refused import leaves the store as it was. A CA record or certificate that is broken
/// anyway (from an older version, or by hand) is reported as such and hides no other CA, from listing or from import.
/// </summary>
public sealed class ImportAllOrNothingTests : IDisposable
{
    private readonly Hierarchy _pki = new("ECC_256");

    public void Dispose() => _pki.Dispose();

    private CaImportService Imports => new(Services.Cas(_pki.Open()));

    /// <summary>
    /// A self-signed CA certificate, correctly signed by its own key, with a name constraint whose IP address range is
    /// five octets long (four or sixteen for an address, then as many for its mask): the certificate parses, its
    /// signature verifies, and only reading its constraints fails. Returns the certificate and key files.
    /// </summary>
    private (string Certificate, string Key) RootWithBrokenConstraint(string commonName)
    {
        using var key = TestKeys.For(KeySpec.Ecc(256), "broken-" + commonName);
        var algorithm = AlgorithmIdentifier.GetInstance(Asn1Object.FromByteArray(key.SignatureAlgorithm));
        var name = new X509Name("CN=" + commonName);
        var tbs = new V3TbsCertificateGenerator();
        tbs.SetSerialNumber(DerInteger.ValueOf(42));
        tbs.SetSignature(algorithm);
        tbs.SetIssuer(name);
        tbs.SetSubject(name);
        tbs.SetStartDate(new Time(DateTime.UtcNow.AddDays(-1)));
        tbs.SetEndDate(new Time(DateTime.UtcNow.AddYears(5)));
        tbs.SetSubjectPublicKeyInfo(SubjectPublicKeyInfo.GetInstance(key.ExportSubjectPublicKeyInfo()));
        var extensions = new X509ExtensionsGenerator();
        extensions.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(true));
        extensions.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.KeyCertSign | KeyUsage.CrlSign));
        var range = new GeneralSubtree(new GeneralName(GeneralName.IPAddress, new DerOctetString(new byte[] { 10, 0, 0, 0, 255 })));
        extensions.AddExtension(X509Extensions.NameConstraints, true, new NameConstraints(new GeneralSubtrees(new[] { range }), null));
        tbs.SetExtensions(extensions.Generate());
        var toBeSigned = tbs.GenerateTbsCertificate().GetDerEncoded();
        var der = SignedDer.Frame(toBeSigned, algorithm, key.Sign(toBeSigned));
        return (_pki.File(commonName + ".pem", Pem.Encode(Pem.CertificateLabel, der)), _pki.File(commonName + ".key", Pkcs8Pem.Encode(key, null)));
    }

    [Fact]
    public void A_refused_import_writes_nothing_and_poisons_nothing()
    {
        var (certificate, key) = RootWithBrokenConstraint("Broken Root");
        var before = _pki.Store.Snapshot();

        var first = Assert.Throws<PkiException>(() => Imports.Import(new ImportCaRequest { CertificatePath = certificate, KeyPath = key, NoPassword = true }));
        var again = Assert.Throws<PkiException>(() => Imports.Import(new ImportCaRequest { CertificatePath = certificate, KeyPath = key, NoPassword = true }));

        Assert.Equal(before, _pki.Store.Snapshot());
        Assert.Equal(first.ErrorId, again.ErrorId);
        Assert.NotEqual(ErrorIds.CaAlreadyInStore, again.ErrorId);
        Assert.Equal(certificate, first.Target);
        var listed = Services.Cas(_pki.Open()).Find();
        Assert.Empty(listed.Problems);
        Assert.Equal(new[] { "Root", "Sub" }, listed.Items.Select(c => c.Name));
    }

    [Fact]
    public void A_broken_CA_in_the_store_is_reported_as_such_and_hides_no_other_from_listing_or_import()
    {
        // A broken CA as an older version's half-import left it: record, certificate and key written, then a failure.
        var (certificate, key) = RootWithBrokenConstraint("Half Imported");
        const string id = "0123456789abcdef0123456789abcdef";
        File.WriteAllText(Path.Combine(_pki.Store.Root, StoreLayout.CaCertificate(id)), File.ReadAllText(certificate));
        File.WriteAllText(Path.Combine(_pki.Store.Root, StoreLayout.CaKey(id)), File.ReadAllText(key));
        File.WriteAllText(Path.Combine(_pki.Store.Root, StoreLayout.CaRecord(id)),
            "{\"id\":\"" + id + "\",\"name\":\"Half\",\"isRoot\":true,\"algorithm\":\"ECC_256\",\"imported\":true,\"createdAt\":\"2026-01-01T00:00:00+00:00\"}");
        // And a record that is not JSON at all.
        File.WriteAllText(Path.Combine(_pki.Store.Root, StoreLayout.CaRecord("fedcba9876543210fedcba9876543210")), "{ not json");

        var listed = Services.Cas(_pki.Open()).Find();
        Assert.Equal(new[] { "Root", "Sub" }, listed.Items.Select(c => c.Name));
        Assert.Equal(2, listed.Problems.Count);
        Assert.All(listed.Problems, p => Assert.Equal(ErrorIds.StoreRecordCorrupt, p.ErrorId));
        Assert.Contains(listed.Problems, p => (string)p.Target! == Path.Combine(_pki.Store.Root, StoreLayout.CaCertificate(id)));

        // The broken ones stand in the way of nothing: another CA comes in.
        using var other = new Hierarchy("ECC_256");
        var otherKey = Path.Combine(other.Store.Root, StoreLayout.CaKey(other.Root.Id));
        var imported = Imports.Import(new ImportCaRequest { CertificatePath = other.File("other.pem", other.Root.Pem), KeyPath = otherKey, NoPassword = true, Name = "Other" });
        Assert.Equal("Other", imported.Name);
        Assert.Contains("Other", Services.Cas(_pki.Open()).Find().Items.Select(c => c.Name));
    }
}
