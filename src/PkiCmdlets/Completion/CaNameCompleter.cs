using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Completion
{
    /// <summary>Completes CA names from the store the command line points at (-StorePath, or the default).</summary>
    public sealed class CaNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var storePath = fakeBoundParameters.Contains("StorePath") ? fakeBoundParameters["StorePath"] as string : null;
            var typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
            try
            {
                var cas = new CaService(new PkiStore(storePath)).Find(new[] { typed + "*" }).Items;
                return cas.Select(c => new CompletionResult(
                    c.Name.IndexOfAny(new[] { ' ', '\'', '"', '$', '`' }) >= 0 ? "'" + c.Name + "'" : c.Name,
                    c.Name, CompletionResultType.ParameterValue, (c.IsRoot ? "Root: " : "Intermediate: ") + c.Subject)).ToList();
            }
            catch (Exception)
            {
                // Completion must never fail the command line: an unreadable store completes nothing.
                return Enumerable.Empty<CompletionResult>();
            }
        }
    }
}
