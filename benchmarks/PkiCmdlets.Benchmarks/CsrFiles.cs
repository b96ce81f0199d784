using PkiCmdlets.Core.Formats;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Requests;

/// <summary>CSR files as a customer would send them: PEM, made outside the store, so no CSR record of the store knows them.</summary>
internal static class CsrFiles
{
    /// <summary>
    /// <paramref name="count"/> files www{i}.csr for CN www{i}.example.com with two SANs (www{i} and api{i}.example.com),
    /// signed with keys of <paramref name="algorithm"/> (RSA_2048, ECC_256, SM2_256). P-256 and SM2 keys are one per CSR;
    /// ten RSA keys serve all of RSA's, since generating 1,000 would take minutes and nothing on either side
    /// (openssl or ours) keeps anything from one request to the next.
    /// </summary>
    public static List<string> Create(string folder, string algorithm, int count)
    {
        var spec = KeySpec.FromAlgorithmName(algorithm);
        var keys = new PrivateKey[spec.Family == KeyFamily.Rsa ? Math.Min(10, count) : count];
        Parallel.For(0, keys.Length, i => keys[i] = PrivateKey.Generate(spec));
        Directory.CreateDirectory(folder);
        var files = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var names = new[] { NameRules.Parse($"www{i}.example.com"), NameRules.Parse($"api{i}.example.com") };
            var der = CsrBuilder.Build(SubjectName.Create($"www{i}.example.com"), names, keys[i % keys.Length]);
            var path = Path.Combine(folder, $"www{i}.csr");
            File.WriteAllText(path, Pem.Encode(Pem.CertificateRequestLabel, der));
            files.Add(path);
        }
        foreach (var key in keys) key.Dispose();
        return files;
    }
}
