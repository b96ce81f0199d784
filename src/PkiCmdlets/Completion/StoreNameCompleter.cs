using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Completion
{
    /// <summary>Completes names of store records from the store the command line points at (-StorePath, or the default).</summary>
    public abstract class StoreNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var storePath = fakeBoundParameters.Contains("StorePath") ? fakeBoundParameters["StorePath"] as string : null;
            var typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
            try
            {
                return Find(new PkiStore(storePath), typed + "*").Select(n => new CompletionResult(
                    n.Name.IndexOfAny(new[] { ' ', '\'', '"', '$', '`' }) >= 0 ? "'" + n.Name + "'" : n.Name,
                    n.Name, CompletionResultType.ParameterValue, n.ToolTip)).ToList();
            }
            catch (Exception)
            {
                // Completion must never fail the command line: an unreadable store completes nothing.
                return Enumerable.Empty<CompletionResult>();
            }
        }

        /// <summary>The records whose name matches the wildcard <paramref name="pattern"/>, with a tool tip each.</summary>
        protected abstract IEnumerable<(string Name, string ToolTip)> Find(PkiStore store, string pattern);
    }
}
