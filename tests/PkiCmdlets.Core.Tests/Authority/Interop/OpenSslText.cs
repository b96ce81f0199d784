using System.Diagnostics;
using System.Text.RegularExpressions;
using PkiCmdlets.Core.Tests.Support;

namespace PkiCmdlets.Core.Tests.Authority.Interop;

/// <summary>Reads what `openssl x509|crl -text` prints, and runs openssl with a time limit.</summary>
public static class OpenSslText
{
    public sealed record Extension(bool Critical, string Value);

    /// <summary>The certificate's `-text` output.</summary>
    public static string Text(string certificatePath) => OpenSsl.Ok($"x509 -in \"{certificatePath}\" -noout -text");

    /// <summary>
    /// An extension's header ("X509v3 Key Usage: critical") and the lines indented below it, joined with
    /// newlines; null when the extension is absent.
    /// </summary>
    public static Extension? Find(string text, string name)
    {
        var lines = text.Replace("\r", string.Empty).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var header = lines[i].Trim();
            if (!header.StartsWith(name + ":", StringComparison.Ordinal)) continue;
            var indent = Indent(lines[i]);
            var body = new List<string>();
            for (var j = i + 1; j < lines.Length && lines[j].Trim().Length > 0 && Indent(lines[j]) > indent; j++) body.Add(lines[j].Trim());
            return new Extension(header.EndsWith("critical", StringComparison.Ordinal), string.Join("\n", body));
        }
        return null;
    }

    /// <summary>As <see cref="Find"/>, failing the test when the extension is absent.</summary>
    public static Extension Get(string text, string name) =>
        Find(text, name) ?? throw new Xunit.Sdk.XunitException($"no \"{name}\" in:\n{text}");

    /// <summary>The outer "Signature Algorithm:" line, which names the algorithm of the signature itself.</summary>
    public static string SignatureAlgorithm(string text) =>
        Regex.Matches(text, @"^\s*Signature Algorithm: (.+)$", RegexOptions.Multiline).Last().Groups[1].Value.Trim();

    /// <summary>A key identifier as openssl prints it (AB:CD:…), from the raw bytes.</summary>
    public static string KeyId(byte[] id) => string.Join(":", id.Select(b => b.ToString("X2")));

    /// <summary>Runs openssl and kills it (and fails the test) if it outlives <paramref name="limit"/>.</summary>
    public static OpenSsl.Result RunWithin(TimeSpan limit, string arguments, string? stdin = null)
    {
        var start = new ProcessStartInfo("openssl", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (stdin != null) process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new Xunit.Sdk.XunitException($"openssl {arguments} did not finish within {limit.TotalSeconds} s:\n{output.Result}{error.Result}");
        }
        process.WaitForExit();
        return new OpenSsl.Result(process.ExitCode, output.Result, error.Result);
    }

    private static int Indent(string line) => line.Length - line.TrimStart().Length;
}
