using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace PkiCmdlets.Core.Store
{
    /// <summary>
    /// Every relative path of the store, format version <see cref="FormatVersion"/>: the code form of README's
    /// "The store". No other class names a file or folder of the store; each folder of the core asks here for the
    /// files it keeps, so none reaches into another's. Changing a path here changes the format: existing stores
    /// must read as before.
    /// </summary>
    internal static class StoreLayout
    {
        /// <summary>The layout this version writes and the newest it reads.</summary>
        public const int FormatVersion = 1;

        /// <summary>The format version; a newer store is refused with StoreVersionUnsupported.</summary>
        public const string VersionFile = "store.json";

        /// <summary>The cross-process lock file.</summary>
        public const string LockFile = ".lock";

        /// <summary>The records of a folder (CAs, CSRs, orders) are its JSON files, one each.</summary>
        public const string RecordFiles = "*.json";

        // ---- CSRs: a numbered folder, their keys in the key folder ----------------------------------------

        public const string CsrFolder = "csrs";

        /// <summary>Private keys: CSRs' and CAs'.</summary>
        public const string KeyFolder = "keys";

        public static string CsrRecord(int id) => NumberedRecord(CsrFolder, id);

        public static string CsrRequest(int id) => Path.Combine(CsrFolder, Number(id) + ".csr.pem");

        public static string CsrKey(int id) => Path.Combine(KeyFolder, "csr-" + Number(id) + ".key.pem");

        // ---- CAs ------------------------------------------------------------------------------------------

        public const string CaFolder = "cas";

        public static string CaRecord(string caId) => Path.Combine(CaFolder, caId + ".json");

        public static string CaCertificate(string caId) => Path.Combine(CaFolder, caId + ".crt.pem");

        public static string CaKey(string caId) => Path.Combine(KeyFolder, "ca-" + caId + ".key.pem");

        /// <summary>
        /// Intermediates waiting for a CA outside the store to sign their request (Request-SubCA): a folder of their own, so
        /// nothing that reads the CAs sees them; their key is already where the CA's will be (<see cref="CaKey"/>).
        /// </summary>
        public static readonly string PendingCaFolder = Path.Combine(CaFolder, "pending");

        public static string PendingCaRecord(string caId) => Path.Combine(PendingCaFolder, caId + ".json");

        /// <summary>The PKCS#10 request a pending intermediate hands to the CA that signs it.</summary>
        public static string PendingCaRequest(string caId) => Path.Combine(PendingCaFolder, caId + ".csr.pem");

        // ---- Issued certificates: one journal per issuer ----------------------------------------------------

        public const string IssuedFolder = "issued";

        public static string IssuerFolder(string issuerId) => Path.Combine(IssuedFolder, issuerId);

        public static string CertificateJournal(string issuerId) => Path.Combine(IssuerFolder(issuerId), "certificates.journal");

        /// <summary>
        /// How far an issuer's journal reached (lines, bytes, the last line's hash), rewritten after every append. It lives
        /// beside the issuer's folder, not in it, so that a journal lost with its folder is still known to have existed.
        /// </summary>
        public static string JournalHead(string issuerId) => Path.Combine(IssuedFolder, issuerId + ".head.json");

        // ---- CRLs -----------------------------------------------------------------------------------------

        public const string CrlFolder = "crls";

        /// <summary>A CA's latest CRL (PEM).</summary>
        public static string Crl(string caId) => Path.Combine(CrlFolder, caId + ".crl.pem");

        /// <summary>The number of a CA's latest CRL.</summary>
        public static string CrlNumber(string caId) => Path.Combine(CrlFolder, caId + ".json");

        // ---- ACME accounts and orders -------------------------------------------------------------------------

        public static readonly string AcmeAccountFolder = Path.Combine("acme", "accounts");

        public static string AcmeAccountRecord(string accountId) => Path.Combine(AcmeAccountFolder, accountId + ".json");

        public static string AcmeAccountKey(string accountId) => Path.Combine(AcmeAccountFolder, accountId + ".key.pem");

        /// <summary>The account's next key while a key change is under way: it replaces the key once the server took it.</summary>
        public static string AcmeAccountNewKey(string accountId) => Path.Combine(AcmeAccountFolder, accountId + ".new-key.pem");

        /// <summary>A numbered folder.</summary>
        public static readonly string OrderFolder = Path.Combine("acme", "orders");

        public static string OrderRecord(int id) => NumberedRecord(OrderFolder, id);

        /// <summary>The CSR an order is finalized with.</summary>
        public static string OrderCsr(int id) => Path.Combine(OrderFolder, Number(id) + ".csr.pem");

        // ---- Renewal: hooks, which certificates renew and how, claims while renewing, the run log, the job ---------

        public const string RenewalFolder = "renewal";

        /// <summary>The DNS and deploy hooks.</summary>
        public static readonly string Hooks = Path.Combine(RenewalFolder, "hooks.json");

        /// <summary>How each certificate renews, where that differs from the default, and what happened when it last did.</summary>
        public static readonly string RenewalSettings = Path.Combine(RenewalFolder, "certificates.json");

        public static readonly string RenewalClaimFolder = Path.Combine(RenewalFolder, "claims");

        /// <summary>Held, and deleted when let go, while a process renews the certificate with this identifier.</summary>
        public static string RenewalClaim(string identifier) => Path.Combine(RenewalClaimFolder, identifier + ".lock");

        /// <summary>The last renewal runs: when, what was renewed, what failed.</summary>
        public static readonly string RenewalRuns = Path.Combine(RenewalFolder, "runs.json");

        /// <summary>The scheduled job registered for this store.</summary>
        public static readonly string RenewalJob = Path.Combine(RenewalFolder, "job.json");

        // ---- Numbered folders (CSRs, orders): &lt;n&gt;.json and a counter --------------------------------------

        public static string NumberedRecord(string folder, int id) => Path.Combine(folder, Number(id) + ".json");

        /// <summary>The next id of a numbered folder (ids are never reused).</summary>
        public static string NextId(string folder) => Path.Combine(folder, "next-id.txt");

        /// <summary>The folders of the store below its own (which may be a folder the user keeps other things in too).</summary>
        public static readonly IReadOnlyList<string> Folders = new[] { CsrFolder, KeyFolder, CaFolder, IssuedFolder, CrlFolder, "acme", RenewalFolder };

        // ---- Files that count only through a record ---------------------------------------------------------------

        /// <summary>
        /// The files that exist for a record (keys, certificates, requests), written before it and removed after it: each
        /// folder, the file name around the id, and the record of that id. Such a file without its record is what a
        /// crash between them left behind.
        /// </summary>
        public static readonly IReadOnlyList<OwnedFile> OwnedFiles = new[]
        {
            // A pending intermediate's key is already where its CA's will be: it is owned by either record.
            new OwnedFile(KeyFolder, "ca-", ".key.pem", CaRecord, PendingCaRecord),
            new OwnedFile(CaFolder, string.Empty, ".crt.pem", CaRecord),
            new OwnedFile(PendingCaFolder, string.Empty, ".csr.pem", PendingCaRecord),
            new OwnedFile(KeyFolder, "csr-", ".key.pem", id => NumberedRecord(CsrFolder, id)),
            new OwnedFile(CsrFolder, string.Empty, ".csr.pem", id => NumberedRecord(CsrFolder, id)),
            new OwnedFile(OrderFolder, string.Empty, ".csr.pem", id => NumberedRecord(OrderFolder, id)),
            new OwnedFile(AcmeAccountFolder, string.Empty, ".key.pem", AcmeAccountRecord),
        };

        /// <summary>
        /// The files that a record makes obsolete, removed after it is written: a pending intermediate's record and request
        /// once its CA's record exists (Complete-SubCA writes the CA, then removes them). Such a file beside that record is
        /// what a crash between them left behind.
        /// </summary>
        public static readonly IReadOnlyList<OwnedFile> ReplacedFiles = new[]
        {
            new OwnedFile(PendingCaFolder, string.Empty, ".json", CaRecord),
            new OwnedFile(PendingCaFolder, string.Empty, ".csr.pem", CaRecord),
        };

        /// <summary>The id of a numbered folder's record file, or null for any other file.</summary>
        public static int? NumberOf(string recordPath) =>
            int.TryParse(Path.GetFileNameWithoutExtension(recordPath), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : (int?)null;

        private static string Number(int id) => id.ToString(CultureInfo.InvariantCulture);

        private static string NumberedRecord(string folder, string id) => Path.Combine(folder, id + ".json");
    }

    /// <summary>
    /// One kind of <see cref="StoreLayout.OwnedFiles"/> or <see cref="StoreLayout.ReplacedFiles"/>: &lt;folder&gt;/&lt;prefix&gt;&lt;id&gt;&lt;suffix&gt;,
    /// and the records (<see cref="RecordsOf"/>) that own it or replace it.
    /// </summary>
    internal sealed class OwnedFile
    {
        public OwnedFile(string folder, string prefix, string suffix, params Func<string, string>[] recordsOf)
        {
            Folder = folder;
            Prefix = prefix;
            Suffix = suffix;
            RecordsOf = recordsOf;
        }

        public string Folder { get; }
        public string Prefix { get; }
        public string Suffix { get; }
        public IReadOnlyList<Func<string, string>> RecordsOf { get; }

        /// <summary>The id in a file name of this kind (letters and digits, as every store id is), or null for another file.</summary>
        public string? IdOf(string fileName)
        {
            if (fileName.Length <= Prefix.Length + Suffix.Length
                || !fileName.StartsWith(Prefix, StringComparison.Ordinal) || !fileName.EndsWith(Suffix, StringComparison.Ordinal)) return null;
            var id = fileName.Substring(Prefix.Length, fileName.Length - Prefix.Length - Suffix.Length);
            return id.All(char.IsLetterOrDigit) && id.All(c => c < 0x80) ? id : null;
        }
    }
}
