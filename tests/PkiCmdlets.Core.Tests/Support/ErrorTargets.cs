using System.Security;
using System.Text.RegularExpressions;

namespace PkiCmdlets.Core.Tests.Support;

/// <summary>
/// An error's target is a path, a name or an id, never content that may hold a secret (issue 16, item 19): scripts log
/// error records, and Get-Error prints the target whole.
/// </summary>
public static class ErrorTargets
{
    /// <summary>A run of base64 longer than any name or id: the body of a PEM block, a key, a certificate.</summary>
    private static readonly Regex Base64Run = new("[A-Za-z0-9+/]{80,}", RegexOptions.CultureInvariant);

    /// <summary>Why <paramref name="target"/> looks like content rather than a path, a name or an id; null when it does not.</summary>
    public static string? ContentLike(object? target) => target switch
    {
        null => null,
        byte[] bytes => "bytes (" + bytes.Length + ")",
        SecureString => "a SecureString",
        char[] => "characters",
        string text when text.Contains("-----BEGIN", StringComparison.Ordinal) => "PEM text",
        string text when Base64Run.IsMatch(text) && !IsPathInExistingFolder(text) => "a run of base64",
        string text when text.Length > 1024 => "text of " + text.Length + " characters",
        _ => null,
    };

    /// <summary>A store path (a temporary folder, hex ids, slashes) can look like base64; its folder exists, content's does not.</summary>
    private static bool IsPathInExistingFolder(string text) =>
        Path.IsPathRooted(text) && text.IndexOfAny(new[] { '\n', '\r' }) < 0 && Directory.Exists(Path.GetDirectoryName(text));

    /// <summary>Fails when <paramref name="target"/> looks like content (see <see cref="ContentLike"/>).</summary>
    public static void AssertNotContent(object? target, string what)
    {
        var problem = ContentLike(target);
        Assert.True(problem == null, what + ": the error's target is " + problem + ", not a path, a name or an id");
    }
}
