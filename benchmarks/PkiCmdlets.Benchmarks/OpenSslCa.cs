using System.Diagnostics;

/// <summary>
/// `openssl ca -batch -infiles r1.csr ... rN.csr`: one process that checks each request's signature and signs a
/// certificate for it, with its text database (index.txt), as a CA run with openssl's own tool issues from many CSRs.
/// The configuration is the server profile of ours: CertificateBuilder.Server's extensions (through
/// <see cref="OpenSsl.WriteServerExtensions"/>), the SANs copied from each CSR, 365 days, a random serial.
/// </summary>
internal static class OpenSslCa
{
    /// <summary>What one run issued: the certificates (PEM, as openssl ca writes them to its standard output), how many the database holds, and the time.</summary>
    public sealed record Result(string Certificates, int DatabaseEntries, TimeSpan Elapsed);

    /// <summary>
    /// Issues one certificate per CSR with a fresh database in <paramref name="folder"/> (created), signed by the CA whose
    /// certificate and unencrypted key are given. With <paramref name="sm2"/>, SM3 and the standard distinguishing ID (the
    /// core's) both for checking the requests (-vfyopt) and for signing (-sigopt): OpenSSL 3.0's default ID is another.
    /// The time includes the process start and the database write, as a user of openssl ca pays them.
    /// -notext leaves out the text dump openssl ca otherwise writes in front of each certificate: less work for it. Each
    /// certificate also goes to newcerts/ as openssl ca always does; -out is not used, since openssl ca 3.0 opens it
    /// again for each certificate and keeps only the last.
    /// </summary>
    public static Result Issue(IReadOnlyList<string> csrPaths, string caCertificatePath, string caKeyPath, string folder, bool rsaSubjectKey, bool sm2)
    {
        Directory.CreateDirectory(Path.Combine(folder, "newcerts"));
        File.WriteAllText(Path.Combine(folder, "index.txt"), string.Empty);
        var extensions = Path.Combine(folder, "server.ext");
        OpenSsl.WriteServerExtensions(extensions, rsaSubjectKey);
        var config = Path.Combine(folder, "ca.cnf");
        File.WriteAllLines(config, new[]
        {
            "[ ca ]",
            "default_ca = bench",
            "[ bench ]",
            $"dir = {folder}",
            "database = $dir/index.txt",
            "new_certs_dir = $dir/newcerts",
            $"certificate = {caCertificatePath}",
            $"private_key = {caKeyPath}",
            "rand_serial = yes",
            "default_days = 365",
            "default_md = " + (sm2 ? "sm3" : "sha256"),
            "policy = any_subject",
            "unique_subject = no",
            "email_in_dn = no",
            "copy_extensions = copy",
            "x509_extensions = server",
            "[ any_subject ]",
            "countryName = optional",
            "stateOrProvinceName = optional",
            "localityName = optional",
            "organizationName = optional",
            "organizationalUnitName = optional",
            "commonName = supplied",
            "[ server ]",
        }.Concat(File.ReadAllLines(extensions)));

        var arguments = new List<string> { "ca", "-batch", "-config", config, "-notext" };
        if (sm2) arguments.AddRange(new[] { "-md", "sm3", "-sigopt", OpenSsl.Sm2DistinguishingId, "-vfyopt", OpenSsl.Sm2DistinguishingId });
        arguments.Add("-infiles");
        arguments.AddRange(csrPaths);
        var clock = Stopwatch.StartNew();
        var output = OpenSsl.Run(arguments.ToArray()).Output;
        clock.Stop();
        var entries = File.ReadLines(Path.Combine(folder, "index.txt")).Count(l => l.Length > 0);
        return new Result(output, entries, clock.Elapsed);
    }
}
