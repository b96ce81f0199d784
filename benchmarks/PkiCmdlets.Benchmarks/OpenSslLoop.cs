using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Store;

/// <summary>
/// Section openssl-loop: proves <see cref="OpenSsl.IssueEach"/> on CSRs and CAs made by the core. Per family, a
/// root and an intermediate (keys unencrypted), N CSRs, one `openssl x509 -req` per CSR with the intermediate,
/// then `openssl verify` of one result: its signature, the serverAuth purpose and the subjectAltName copied from its CSR.
/// </summary>
internal static class OpenSslLoop
{
    private static readonly string[] Algorithms = { "RSA_2048", "ECC_256", "SM2_256" };

    public static void Run(IReadOnlyList<int> numbers)
    {
        var count = numbers.Count > 0 ? numbers[0] : 50;
        Console.WriteLine($"openssl x509 -req -copy_extensions copy, one process per CSR, {count} CSRs made by the core per intermediate made by the core");
        var table = new Table(("Intermediate", 12), ("certs", 5), ("seconds", 7), ("certs/s", 7), ("openssl verify of one", 20));
        foreach (var algorithm in Algorithms)
        {
            using var temp = new TempStore();
            var sub = temp.CreateIntermediate(algorithm);
            var csrs = CsrSet.Create(temp.Store, algorithm, count);
            var sm2 = algorithm.StartsWith("SM2", StringComparison.Ordinal);
            var extensions = Path.Combine(temp.Root, "server.ext");
            OpenSsl.WriteServerExtensions(extensions, rsaSubjectKey: algorithm.StartsWith("RSA", StringComparison.Ordinal));

            var issued = OpenSsl.IssueEach(csrs.Select(c => c.PemPath).ToList(), temp.Store.FullPath(StoreLayout.CaCertificate(sub.Id)),
                temp.Store.FullPath(StoreLayout.CaKey(sub.Id)), extensions, Path.Combine(temp.Root, "openssl-issued"), sm2);

            // CsrSet names CSR i www{i}.example.com, so certificate 0 must be valid for www0.example.com. The intermediate
            // is the trust anchor (-partial_chain) because OpenSSL 3.0 applies -vfyopt to the certificate verified only,
            // so it cannot check a whole chain of SM2 certificates signed with the standard distinguishing ID.
            var verify = OpenSsl.Run(new[]
            {
                "verify", "-partial_chain", "-CAfile", temp.Store.FullPath(StoreLayout.CaCertificate(sub.Id)), "-purpose", "sslserver",
                "-verify_hostname", "www0.example.com",
            }.Concat(sm2 ? new[] { "-vfyopt", OpenSsl.Sm2DistinguishingId } : Array.Empty<string>()).Append(issued.CertificatePaths[0]).ToArray()).Output.Trim();
            table.Row(algorithm, issued.CertificatePaths.Count.ToString(), $"{issued.Elapsed.TotalSeconds:F2}", $"{issued.PerSecond:F1}",
                verify.EndsWith(": OK", StringComparison.Ordinal) ? "OK" : verify);
        }
    }
}
