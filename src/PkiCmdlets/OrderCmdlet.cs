using System;
using PkiCmdlets.Core.Orders;

namespace PkiCmdlets
{
    /// <summary>
    /// What the certificate order cmdlets share: the core's log lines as -Verbose output, its progress as a progress bar,
    /// and what went wrong without failing (a hook that could not clean up) as warnings.
    /// </summary>
    public abstract class OrderCmdlet : PkiCmdlet
    {
        /// <summary>
        /// Callbacks for one core call. The core calls them on this (the pipeline) thread even though the ACME
        /// work runs on the thread pool, so WriteVerbose and WriteProgress are safe here.
        /// </summary>
        protected OrderCallbacks Callbacks(IProgress<string> progress) => new OrderCallbacks { Log = WriteVerbose, Progress = progress, Warning = WriteWarning };
    }
}
