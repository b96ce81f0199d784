using System.Collections.Concurrent;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Revocation;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Authority.Interop;

/// <summary>
/// A <see cref="Hierarchy"/> with its root and intermediate written out as PEM files for the openssl CLI,
/// and helpers that issue, revoke and publish through the core and hand back file paths.
/// </summary>
public sealed class InteropHierarchy : IDisposable
{
    public const string RootCrlUrl = "http://crl.example.com/root.crl";
    public const string SubCrlUrl = "http://crl.example.com/sub.crl";

    /// <summary>The GM/T 0009 default SM2 distinguishing id, which the core signs with.</summary>
    public const string Sm2Id = "1234567812345678";

    public InteropHierarchy(string algorithm, Action<NewCaRequest>? subOptions = null)
    {
        Algorithm = algorithm;
        Spec = KeySpec.FromAlgorithmName(algorithm);
        Hierarchy = new Hierarchy(algorithm, RootCrlUrl, subOptions);
        RootPath = Hierarchy.File("root.pem", Hierarchy.Root.Pem);
        SubPath = Hierarchy.File("sub.pem", Hierarchy.Sub.Pem);
    }

    public string Algorithm { get; }
    public KeySpec Spec { get; }
    public Hierarchy Hierarchy { get; }
    public string RootPath { get; }
    public string SubPath { get; }
    public bool IsSm2 => Spec.Family == KeyFamily.Sm2;

    /// <summary>What every openssl signature check needs for this algorithm: the SM2 id, or nothing.</summary>
    public string VerifyOptions => IsSm2 ? $"-vfyopt distid:{Sm2Id} " : string.Empty;

    /// <summary>Issues a server certificate for a CSR with the shared leaf key (distinct from both CA keys).</summary>
    public IssuedCertificate Issue(string commonName, string[]? sans = null, Action<NewCertificateRequest>? options = null) =>
        Hierarchy.Issue(Hierarchy.Csr(Spec, commonName, sans ?? Array.Empty<string>()), options);

    /// <summary>Issues from a CSR with a full subject, made with the shared leaf key.</summary>
    public IssuedCertificate IssueWithSubject(SubjectName subject, Action<NewCertificateRequest>? options = null)
    {
        using var key = TestKeys.For(Spec);
        var csr = Pem.Encode(Pem.CertificateRequestLabel, CsrBuilder.Build(subject, Array.Empty<SubjectAlternativeName>(), key));
        return Hierarchy.Issue(csr, options);
    }

    /// <summary>Writes the certificate's PEM and returns the file's path.</summary>
    public string Write(IssuedCertificate certificate) => Hierarchy.File("leaf-" + certificate.Identifier + ".pem", certificate.X509Certificate);

    /// <summary>The leaf key (the one <see cref="Issue"/> puts in every CSR) as an unencrypted PKCS#8 PEM file.</summary>
    public string WriteLeafKey()
    {
        using var key = TestKeys.For(Spec);
        return Hierarchy.File("leaf.key", Pem.Encode(Pem.PrivateKeyLabel, key.ExportPkcs8()));
    }

    public IssuedCertificate Revoke(IssuedCertificate certificate, RevocationReason reason) =>
        Services.Certificates(Hierarchy.Open()).Revoke(certificate.Identifier, reason);

    /// <summary>Publishes the CA's CRL through the core, writing the PEM copy to a file of the given name.</summary>
    public PublishedCrl Publish(string ca, string fileName) =>
        new CrlService(Services.Cas(Hierarchy.Open())).Publish(new PublishCrlRequest { Issuer = new CaIdentity(ca), Path = Path.Combine(Hierarchy.Store.Folder, fileName), AsPem = true });

    public string File(string name, string text) => Hierarchy.File(name, text);

    public string File(string name, byte[] content)
    {
        var path = Path.Combine(Hierarchy.Store.Folder, name);
        System.IO.File.WriteAllBytes(path, content);
        return path;
    }

    public void Dispose() => Hierarchy.Dispose();
}

/// <summary>One hierarchy per algorithm, made on first use and shared by the tests of a class that only read it.</summary>
public sealed class HierarchyFixture : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<InteropHierarchy>> _hierarchies = new();

    public InteropHierarchy this[string algorithm] =>
        _hierarchies.GetOrAdd(algorithm, a => new Lazy<InteropHierarchy>(() => new InteropHierarchy(a))).Value;

    public void Dispose()
    {
        foreach (var hierarchy in _hierarchies.Values.Where(h => h.IsValueCreated)) hierarchy.Value.Dispose();
    }
}
