using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Tests.Support;

/// <summary>Turns an issuer's journal into what versions before the hash chain wrote: no hash fields, no head.</summary>
public static class OlderJournal
{
    /// <summary>Rewrites the journal of <paramref name="issuerId"/> without hashes, each line changed by <paramref name="edit"/> if given, and removes its head.</summary>
    public static void Rewrite(string storeRoot, string issuerId, Func<string, string>? edit = null)
    {
        var path = Path.Combine(storeRoot, StoreLayout.CertificateJournal(issuerId));
        var lines = File.ReadAllText(path).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(WithoutHash).Select(edit ?? (l => l));
        File.WriteAllText(path, string.Concat(lines.Select(l => l + "\n")));
        File.Delete(Path.Combine(storeRoot, StoreLayout.JournalHead(issuerId)));
    }

    /// <summary>A line without the ,"hash":"…" field that closes its JSON object.</summary>
    public static string WithoutHash(string line)
    {
        var json = line.IndexOf('\t') is var tab and >= 0 ? tab : line.Length;
        return line.Remove(json - 1 - JournalChain.FieldLength, JournalChain.FieldLength);
    }
}
