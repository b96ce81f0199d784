using System;

namespace PkiCmdlets.Core.Errors
{
    /// <summary>
    /// The one exception type the core throws for a failure the user can act on. <see cref="ErrorId"/>
    /// is stable (scripts and Pester tests match on it); <see cref="Target"/> is the offending value.
    /// </summary>
    public sealed class PkiException : Exception
    {
        public PkiException(string errorId, PkiErrorKind kind, object? target, string message, Exception? inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
            Kind = kind;
            Target = target;
        }

        public string ErrorId { get; }

        public PkiErrorKind Kind { get; }

        public object? Target { get; }
    }
}
