using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Store;

/// <summary>A store in a fresh temporary folder, deleted on Dispose.</summary>
internal sealed class TempStore : IDisposable
{
    public TempStore()
    {
        Root = Path.Combine(Path.GetTempPath(), "pkicmdlets-bench-" + Guid.NewGuid().ToString("N"));
        Store = new PkiStore(Root);
    }

    public string Root { get; }

    public PkiStore Store { get; }

    /// <summary>A root and below it an intermediate named Sub, both of <paramref name="algorithm"/> with unencrypted keys; returns Sub.</summary>
    public CertificateAuthority CreateIntermediate(string algorithm)
    {
        var cas = new CaService(Store);
        cas.CreateRoot(new NewCaRequest { Name = "Root", CommonName = $"Bench {algorithm} Root", Algorithm = algorithm, NoPassword = true });
        return cas.CreateSubordinate(new NewCaRequest
        {
            Name = "Sub", CommonName = $"Bench {algorithm} Issuing CA", Algorithm = algorithm, NoPassword = true, Issuer = new CaIdentity("Root"),
        });
    }

    public void Dispose()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }
}
