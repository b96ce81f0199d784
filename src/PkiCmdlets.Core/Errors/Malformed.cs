using System;
using System.Threading;

namespace PkiCmdlets.Core.Errors
{
    /// <summary>
    /// What a parser of bytes from outside (a file, the store, a certificate authority) does with the exceptions of the
    /// libraries it reads them with: any of them means the input is malformed, and becomes the parser's own PkiException,
    /// in our words. The libraries' messages ("corrupted stream - out of bounds length found") stay in the inner exception.
    /// </summary>
    internal static class Malformed
    {
        /// <summary>
        /// True for every exception a parser of malformed input may meet (ArgumentException, IOException, InvalidCastException,
        /// CryptographicException, BouncyCastle's own, a NullReferenceException of a field that was not there, …); false for
        /// our own errors and for what no input explains (out of memory, cancellation, a thread abort).
        /// </summary>
        public static bool Is(Exception e) =>
            !(e is PkiException || e is OutOfMemoryException || e is OperationCanceledException || e is ThreadAbortException || e is StackOverflowException);

        /// <summary>
        /// The reason to show: the exception's message when the core wrote it (a rule of ours, such as "the curve … is not
        /// supported", thrown here or made here and handed over without being thrown), otherwise <paramref name="fallback"/>,
        /// so that no library's wording reaches the user.
        /// </summary>
        public static string Reason(Exception e, string fallback) =>
            (e.TargetSite == null || e.TargetSite.Module.Assembly == typeof(Malformed).Assembly) && !(e is NullReferenceException) ? e.Message : fallback;
    }
}
