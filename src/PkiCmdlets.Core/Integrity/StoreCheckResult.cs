using System.Collections.Generic;

namespace PkiCmdlets.Core.Integrity
{
    /// <summary>What Test-PkiStore checked in a store, and every problem it found; it changes nothing.</summary>
    public sealed class StoreCheckResult
    {
        public string StorePath { get; internal set; } = string.Empty;

        /// <summary>True when no problem was found.</summary>
        public bool Healthy => Problems.Count == 0;

        /// <summary>CAs whose record and certificate were read, and whose certificate's signature was checked against its issuer.</summary>
        public int CasChecked { get; internal set; }

        /// <summary>
        /// CA keys opened and compared with their certificates (unencrypted keys, and encrypted ones unlocked in this process);
        /// a CA kept without its key has none.
        /// </summary>
        public int KeysChecked { get; internal set; }

        /// <summary>Encrypted CA keys that are not unlocked: checked as files (owner-only, readable), not opened.</summary>
        public int KeysLocked { get; internal set; }

        /// <summary>Journals whose every line was checked against the hash chain and the journal against its head and its last CRL.</summary>
        public int JournalsChecked { get; internal set; }

        public int JournalLines { get; internal set; }

        /// <summary>Issued certificates read from their journal line, matched with their record and checked against their issuer's signature.</summary>
        public int CertificatesChecked { get; internal set; }

        public int CrlsChecked { get; internal set; }

        /// <summary>Intermediates waiting for their certificate (Request-SubCA) whose record, request and key were checked.</summary>
        public int PendingCasChecked { get; internal set; }

        public int CsrsChecked { get; internal set; }

        public int OrdersChecked { get; internal set; }

        public IReadOnlyList<StoreProblem> Problems { get; internal set; } = new List<StoreProblem>();
    }

    /// <summary>One thing wrong in a store: its error id, the file (and journal line) it is in, and what it is.</summary>
    public sealed class StoreProblem
    {
        public string ErrorId { get; internal set; } = string.Empty;

        /// <summary>The file or folder the problem is in.</summary>
        public string? Path { get; internal set; }

        /// <summary>The journal line, for a problem in one.</summary>
        public int? Line { get; internal set; }

        public string Message { get; internal set; } = string.Empty;

        public override string ToString() => Message;
    }
}
