namespace PkiCmdlets.Completion
{
    /// <summary>Completes the names of roots only, for parameters where only a root can do the job (trust installation).</summary>
    public sealed class RootNameCompleter : CaNameCompleter
    {
        public RootNameCompleter()
            : base(roots: true)
        {
        }
    }
}
