using System;

namespace PkiCmdlets.Core.Orders
{
    /// <summary>What a hook is called for.</summary>
    public enum HookType
    {
        /// <summary>
        /// Creates and removes the TXT records of dns-01 challenges, called with -Action Add or Remove, -RecordName
        /// (_acme-challenge.&lt;domain&gt;) and -RecordValue.
        /// </summary>
        Dns,

        /// <summary>Puts a renewed certificate to use (export its files, reload a server), called with -Certificate.</summary>
        Deploy,
    }

    /// <summary>
    /// A script the user registered once (Register-RenewalHook) for the module to call unattended: a script block's
    /// text, or the path of a script file. What it is called with is public data (a record name and TXT value, a
    /// certificate without its key), never a secret.
    /// </summary>
    public sealed class Hook
    {
        /// <summary>Dns or Deploy (a HookType name).</summary>
        public string Type { get; internal set; } = string.Empty;

        /// <summary>The script block's text, when the hook is one.</summary>
        public string? ScriptBlock { get; internal set; }

        /// <summary>The full path of the script file, when the hook is one.</summary>
        public string? Path { get; internal set; }

        public DateTimeOffset RegisteredAt { get; internal set; }

        public string StorePath { get; internal set; } = string.Empty;

        public override string ToString() => Type + " hook";
    }
}
