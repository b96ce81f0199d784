using System;
using System.Collections.Generic;
using System.Threading;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Core.Orders
{
    /// <summary>
    /// Runs a hook through the caller's runner (the cmdlets run it in PowerShell, on the pipeline thread), with named
    /// arguments: whatever the script throws or writes as an error becomes HookFailed, saying what it was doing.
    /// </summary>
    internal static class HookCall
    {
        public static void Run(Action<Hook, IDictionary<string, object?>> runner, Hook hook, IDictionary<string, object?> arguments, string doing,
            CancellationToken cancellation)
        {
            cancellation.ThrowIfCancellationRequestedAsPki();
            try
            {
                runner(hook, arguments);
            }
            catch (Exception e) when (!cancellation.IsCancellationRequested)
            {
                throw new PkiException(ErrorIds.HookFailed, PkiErrorKind.InvalidOperation, hook.Type, Messages.HookFailed.Format(hook.Type, doing, e.Message), e);
            }
        }
    }
}
