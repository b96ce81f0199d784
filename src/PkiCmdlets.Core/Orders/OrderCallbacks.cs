using System;

namespace PkiCmdlets.Core.Orders
{
    /// <summary>
    /// Where an order operation reports as it goes. Both are called on the thread that called the operation
    /// (see <see cref="CallerThread"/>), so a cmdlet can pass WriteVerbose and WriteProgress straight in.
    /// </summary>
    public sealed class OrderCallbacks
    {
        /// <summary>One line per ACME request: method, URL and HTTP status. Never a body, key or token.</summary>
        public Action<string>? Log { get; set; }

        /// <summary>What the operation is doing now.</summary>
        public IProgress<string>? Progress { get; set; }

        /// <summary>What went wrong without failing the operation, such as a hook that could not clean up after itself.</summary>
        public Action<string>? Warning { get; set; }

        internal void Write(string line) => Log?.Invoke(line);

        internal void Report(string status) => Progress?.Report(status);
    }
}
