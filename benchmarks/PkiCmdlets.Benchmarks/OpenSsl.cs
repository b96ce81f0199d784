using System.Diagnostics;
using System.Globalization;
using PkiCmdlets.Core.Authority;

/// <summary>
/// The openssl command line (3.0 or later, on PATH), for figures measured next to ours on the same machine:
/// running it, reading `openssl speed`, and issuing certificates from CSRs the way a shell-script CA would.
/// </summary>
internal static class OpenSsl
{
    /// <summary>An SM2 signature option (-sigopt, -vfyopt) naming the default distinguishing ID, 1234567812345678.</summary>
    public const string Sm2DistinguishingId = "distid:1234567812345678";

    /// <summary>What a finished openssl run printed on standard output, and its wall time including the process start.</summary>
    public sealed record Result(string Output, TimeSpan Elapsed);

    /// <summary>Certificates issued by <see cref="IssueEach"/>, in CSR order, and the time it took.</summary>
    public sealed record IssueResult(IReadOnlyList<string> CertificatePaths, TimeSpan Elapsed)
    {
        public double PerSecond => CertificatePaths.Count / Elapsed.TotalSeconds;
    }

    /// <summary>Runs openssl and waits for it; throws with its standard error when it exits non-zero.</summary>
    public static Result Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["LC_ALL"] = "C"; // figures with a decimal point, whatever the user's locale
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start");
        var error = process.StandardError.ReadToEndAsync(); // both pipes drained at once, or a full one blocks openssl
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        clock.Stop();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {string.Join(" ", arguments)} exited with {process.ExitCode}: {error.Result.Trim()}");
        }
        return new Result(output, clock.Elapsed);
    }

    /// <summary>
    /// Signatures per second from `openssl speed -seconds <paramref name="seconds"/> [-multi <paramref name="processes"/>]
    /// <paramref name="algorithm"/>` (rsa2048, ecdsap256, sm2, ...); with -multi, all processes together.
    /// </summary>
    public static double SpeedSignsPerSecond(string algorithm, int seconds, int processes = 1)
    {
        var arguments = new List<string> { "speed", "-seconds", seconds.ToString(CultureInfo.InvariantCulture) };
        if (processes > 1) arguments.AddRange(new[] { "-multi", processes.ToString(CultureInfo.InvariantCulture) });
        arguments.Add(algorithm);
        return ParseSignsPerSecond(Run(arguments.ToArray()).Output);
    }

    /// <summary>
    /// Signatures and verifications per second from `openssl speed -seconds <paramref name="seconds"/> <paramref name="algorithm"/>`
    /// on one core, or with -multi <paramref name="processes"/> on as many (all processes together): the two operations
    /// every certificate issued from a CSR needs.
    /// </summary>
    public static SpeedResult SpeedSignVerify(string algorithm, int seconds, int processes = 1)
    {
        var arguments = new List<string> { "speed", "-seconds", seconds.ToString(CultureInfo.InvariantCulture) };
        if (processes > 1) arguments.AddRange(new[] { "-multi", processes.ToString(CultureInfo.InvariantCulture) });
        arguments.Add(algorithm);
        var output = Run(arguments.ToArray()).Output;
        return new SpeedResult(ParseRate(output, "sign/s"), ParseRate(output, "verify/s"));
    }

    /// <summary>Signatures and verifications per second, and what a certificate from a CSR (one of each) allows.</summary>
    public sealed record SpeedResult(double SignsPerSecond, double VerifiesPerSecond)
    {
        /// <summary>Certificates per second if each cost exactly one verification and one signature: 1/(1/sign + 1/verify).</summary>
        public double SignPlusVerifyPerSecond => 1 / (1 / SignsPerSecond + 1 / VerifiesPerSecond);
    }

    /// <summary>The sign/s figure of `openssl speed`'s public-key table (see <see cref="ParseRate"/>).</summary>
    public static double ParseSignsPerSecond(string output) => ParseRate(output, "sign/s");

    /// <summary>
    /// A rate column (sign/s, verify/s) of `openssl speed`'s public-key table, e.g. (OpenSSL 3.0)
    /// <code>
    ///                               sign    verify    sign/s verify/s
    ///  256 bits ecdsa (nistp256)   0.0000s   0.0001s  25525.8   8255.1
    /// </code>
    /// Found through the header's rate columns (those ending in /s), counted from the row's end: the row's label
    /// has spaces in it, and later versions add columns (encr./s, decr./s) to RSA's table.
    /// </summary>
    public static double ParseRate(string output, string column)
    {
        var lines = output.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        var header = lines.FindLastIndex(words => words.Contains(column));
        if (header < 0 || header + 1 >= lines.Count)
        {
            throw new FormatException($"No {column} column in openssl speed's output:\n" + output);
        }
        var rates = lines[header].Where(w => w.EndsWith("/s", StringComparison.Ordinal)).ToList();
        var row = lines[header + 1];
        var cell = row.Length >= rates.Count ? row[row.Length - rates.Count + rates.IndexOf(column)] : null;
        if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate))
        {
            throw new FormatException($"Unreadable {column} figure '{cell}' in openssl speed's output:\n" + output);
        }
        return rate;
    }

    /// <summary>
    /// Writes an -extfile with the server profile (ServerProfile) gives (without a CRL distribution
    /// point): CA:FALSE and the key usages critical, serverAuth, SKI and AKI. The subjectAltName is not in it:
    /// -copy_extensions copy takes it from each CSR.
    /// </summary>
    public static void WriteServerExtensions(string path, bool rsaSubjectKey)
    {
        File.WriteAllLines(path, new[]
        {
            "basicConstraints = critical, CA:FALSE",
            "keyUsage = critical, digitalSignature" + (rsaSubjectKey ? ", keyEncipherment" : string.Empty),
            "extendedKeyUsage = serverAuth",
            "subjectKeyIdentifier = hash",
            "authorityKeyIdentifier = keyid",
        });
    }

    /// <summary>
    /// Issues one certificate per CSR (PEM files) with `openssl x509 -req`, one process after the other as a
    /// shell-script CA would, each with a random 16-byte serial and 365 days, into
    /// <paramref name="outputFolder"/>. The CA key must be unencrypted. The time includes every process start.
    /// With <paramref name="sm2"/> (SM2 CSRs and CA key), openssl is given the standard distinguishing ID (GM/T 0009's
    /// default, the core's) to check the CSRs and to sign: OpenSSL 3.0 uses another by default, so without it the CSRs
    /// fail their check and the certificates carry signatures that other implementations do not verify.
    /// </summary>
    public static IssueResult IssueEach(IReadOnlyList<string> csrPaths, string caCertificatePath, string caKeyPath,
        string extensionFilePath, string outputFolder, bool sm2)
    {
        var sm2Options = sm2 ? new[] { "-vfyopt", Sm2DistinguishingId, "-sigopt", Sm2DistinguishingId } : Array.Empty<string>();
        Directory.CreateDirectory(outputFolder);
        var certificates = new List<string>(csrPaths.Count);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < csrPaths.Count; i++)
        {
            var certificate = Path.Combine(outputFolder, i.ToString(CultureInfo.InvariantCulture) + ".crt.pem");
            Run(new[]
            {
                "x509", "-req", "-in", csrPaths[i], "-CA", caCertificatePath, "-CAkey", caKeyPath,
                "-set_serial", "0x" + SerialNumber.ToHex(SerialNumber.Generate()), "-days", "365",
                "-copy_extensions", "copy", "-extfile", extensionFilePath, "-out", certificate,
            }.Concat(sm2Options).ToArray());
            certificates.Add(certificate);
        }
        return new IssueResult(certificates, clock.Elapsed);
    }
}
