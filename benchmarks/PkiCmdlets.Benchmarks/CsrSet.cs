using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Store;

/// <summary>A CSR the core made and stored: its PEM file (for openssl) and its DER (for the core).</summary>
internal sealed record StoredCsr(string PemPath, byte[] Der);

internal static class CsrSet
{
    /// <summary>
    /// <paramref name="count"/> distinct CSRs (each its own key, www{i}.example.com with two SANs) made with
    /// New-Csr's core operation. Made in parallel: RSA key generation is most of the set-up time.
    /// </summary>
    public static IReadOnlyList<StoredCsr> Create(PkiStore store, string algorithm, int count)
    {
        var csrs = new CsrService(store);
        var made = new StoredCsr[count];
        // Created before the parallel loop: two writers that both find a new store without its version file both write
        // it, and the second fails (PkiStore.EnsureCreated checks, then AtomicFile.Write moves without overwriting).
        store.EnsureCreated();
        Parallel.For(0, count, i =>
        {
            var csr = csrs.Create(new NewCsrRequest
            {
                CommonName = $"www{i}.example.com",
                SubjectAlternativeNames = new[] { $"www{i}.example.com", $"api{i}.example.com" },
                Organization = "Contoso",
                Algorithm = algorithm,
            });
            made[i] = new StoredCsr(store.FullPath(StoreLayout.CsrRequest(csr.Id)), Pem.Decode(csr.Csr!, Pem.CertificateRequestLabel));
        });
        return made;
    }
}
