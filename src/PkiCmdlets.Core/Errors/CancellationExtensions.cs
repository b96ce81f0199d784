using System.Threading;

namespace PkiCmdlets.Core.Errors
{
    internal static class CancellationExtensions
    {
        /// <summary>Turns a cancellation (Ctrl+C in PowerShell) into the product's own error before the store is touched.</summary>
        public static void ThrowIfCancellationRequestedAsPki(this CancellationToken cancellation)
        {
            if (cancellation.IsCancellationRequested)
            {
                throw new PkiException(ErrorIds.OperationCancelled, PkiErrorKind.OperationStopped, null, Messages.OperationCancelled);
            }
        }
    }
}
