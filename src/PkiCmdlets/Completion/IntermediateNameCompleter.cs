namespace PkiCmdlets.Completion
{
    /// <summary>Completes the names of intermediates only, for parameters where only an intermediate can do the job (issuing server certificates).</summary>
    public sealed class IntermediateNameCompleter : CaNameCompleter
    {
        public IntermediateNameCompleter()
            : base(roots: false)
        {
        }
    }
}
