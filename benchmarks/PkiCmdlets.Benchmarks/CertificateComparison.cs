using System.Security.Cryptography.X509Certificates;

/// <summary>
/// Two certificates for the same CSR, ours and a peer's, held side by side: a speed comparison is honest only when
/// both sides issue the same certificate and both verify.
/// </summary>
internal static class CertificateComparison
{
    /// <summary>
    /// What differs between the two in what the profile decides (subject, the extensions with their criticality, the
    /// subjectAltName's content, the signature algorithm, the lifetime in days), or null when nothing does.
    /// Serial numbers, keys' identifiers and dates naturally differ and are not compared.
    /// </summary>
    public static string? ProfileDifference(string oursPem, string theirsPem)
    {
        using var ours = X509Certificate2.CreateFromPem(oursPem);
        using var theirs = X509Certificate2.CreateFromPem(theirsPem);
        var differences = new List<string>();
        void Compare(string what, string a, string b)
        {
            if (a != b) differences.Add($"{what}: ours {a}, theirs {b}");
        }
        Compare("subject", ours.Subject, theirs.Subject);
        Compare("extensions", Extensions(ours), Extensions(theirs));
        Compare("subjectAltName", SubjectAlternativeName(ours), SubjectAlternativeName(theirs));
        Compare("signature", ours.SignatureAlgorithm.Value ?? "?", theirs.SignatureAlgorithm.Value ?? "?");
        Compare("days", Days(ours), Days(theirs));
        return differences.Count == 0 ? null : string.Join("; ", differences);
    }

    /// <summary>`openssl verify` of one certificate against the intermediate (the trust anchor), as a TLS server for <paramref name="host"/>: "OK" or openssl's complaint.</summary>
    public static string Verify(string certificatePath, string issuerCertificatePath, string host, bool sm2)
    {
        // -partial_chain: the intermediate is the anchor, because OpenSSL 3.0 applies -vfyopt only to the certificate
        // verified, so it cannot check a whole chain of SM2 certificates signed with the standard distinguishing ID.
        var arguments = new List<string> { "verify", "-partial_chain", "-CAfile", issuerCertificatePath, "-purpose", "sslserver", "-verify_hostname", host };
        if (sm2) arguments.AddRange(new[] { "-vfyopt", OpenSsl.Sm2DistinguishingId });
        arguments.Add(certificatePath);
        try
        {
            var output = OpenSsl.Run(arguments.ToArray()).Output.Trim();
            return output.EndsWith(": OK", StringComparison.Ordinal) ? "OK" : output;
        }
        catch (InvalidOperationException e)
        {
            return "FAILED " + e.Message;
        }
    }

    /// <summary>The certificate for <paramref name="commonName"/> among the PEM certificates of <paramref name="text"/>, as PEM.</summary>
    public static string FindPem(string text, string commonName)
    {
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPem(text);
        var found = certificates.FirstOrDefault(c => c.GetNameInfo(X509NameType.SimpleName, false) == commonName)
            ?? throw new InvalidOperationException($"no certificate for {commonName} among {certificates.Count}");
        return found.ExportCertificatePem() + "\n";
    }

    private static string Extensions(X509Certificate2 certificate) =>
        string.Join(",", certificate.Extensions.Cast<X509Extension>().Select(e => e.Oid!.Value + (e.Critical ? "!" : string.Empty)).Order(StringComparer.Ordinal));

    private static string SubjectAlternativeName(X509Certificate2 certificate) =>
        Convert.ToHexString(certificate.Extensions["2.5.29.17"]?.RawData ?? Array.Empty<byte>());

    private static string Days(X509Certificate2 certificate) =>
        Math.Round((certificate.NotAfter - certificate.NotBefore).TotalDays).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
