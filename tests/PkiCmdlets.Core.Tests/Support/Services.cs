using System.Security;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Tests.Support;

public static class Services
{
    /// <summary>A CsrService that uses the cached test keys instead of generating new ones.</summary>
    public static CsrService Csrs(PkiStore store) => new(store, TestKeys.For);

    /// <summary>
    /// A CaService with cached test keys and, optionally, a clock of the test's choosing. With
    /// <paramref name="keyRole"/> every CA it creates gets that role's key; without, each CA gets the next of
    /// three cached keys ("ca1", "ca2", "ca3", then "ca1" again), so a root, its sub CA and a CSR's key
    /// (<see cref="TestKeys.For(KeySpec)"/>) never coincide.
    /// </summary>
    public static CaService Cas(PkiStore store, Func<DateTimeOffset>? clock = null, string? keyRole = null)
    {
        var created = 0;
        return new(store, spec => TestKeys.For(spec, keyRole ?? "ca" + (created++ % 3 + 1)), clock ?? (() => DateTimeOffset.UtcNow));
    }

    public static CertificateService Certificates(PkiStore store, Func<DateTimeOffset>? clock = null) => new(Cas(store, clock));

    public static SecureString Password(string text)
    {
        var password = new SecureString();
        foreach (var c in text) password.AppendChar(c);
        password.MakeReadOnly();
        return password;
    }
}

/// <summary>
/// A root and an intermediate of one algorithm in a temporary store, unencrypted keys unless asked. The
/// root, the intermediate and the CSRs of <see cref="Csr"/> each have a key of their own (all cached), so
/// a key identifier or signature taken from the wrong certificate cannot pass unnoticed.
/// </summary>
public sealed class Hierarchy : IDisposable
{
    public Hierarchy(string algorithm = "RSA_2048", string? crlUrl = null, Action<NewCaRequest>? subOptions = null, string? subAlgorithm = null)
    {
        Store = new TempStore();
        Root = Services.Cas(Store.Open(), keyRole: "root").CreateRoot(new NewCaRequest { Name = "Root", CommonName = "Test Root CA", Organization = "Example Org", Country = "US", Algorithm = algorithm, NoPassword = true, CrlUrl = crlUrl });
        var sub = new NewCaRequest
        {
            Name = "Sub", CommonName = "Test Sub CA", Organization = "Example Org", OrganizationalUnit = "Ops", Country = "US", State = "Zhejiang", Locality = "Hangzhou",
            Algorithm = subAlgorithm ?? algorithm, NoPassword = true, Issuer = new CaIdentity("Root"), CrlUrl = crlUrl == null ? null : crlUrl.Replace("root", "sub"),
        };
        subOptions?.Invoke(sub);
        Sub = Services.Cas(Store.Open(), keyRole: "sub").CreateSubordinate(sub);
    }

    public TempStore Store { get; }
    public CertificateAuthority Root { get; }
    public CertificateAuthority Sub { get; }

    public PkiStore Open() => Store.Open();

    /// <summary>A CSR for <paramref name="commonName"/> with a cached key of <paramref name="spec"/>.</summary>
    public static string Csr(KeySpec spec, string commonName, params string[] sans)
    {
        using var key = TestKeys.For(spec);
        var names = new List<SubjectAlternativeName>();
        foreach (var name in sans) names.Add(NameRules.Parse(name));
        return Core.Formats.Pem.Encode(Core.Formats.Pem.CertificateRequestLabel, CsrBuilder.Build(SubjectName.Create(commonName), names, key));
    }

    public IssuedCertificate Issue(string csr, Action<NewCertificateRequest>? options = null)
    {
        var request = new NewCertificateRequest { Csr = csr, Issuer = new CaIdentity("Sub") };
        options?.Invoke(request);
        return Services.Certificates(Open()).Issue(request);
    }

    /// <summary>Writes text to a file in the scratch folder and returns its path.</summary>
    public string File(string name, string text)
    {
        var path = Path.Combine(Store.Folder, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Store.Dispose();
}
