using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Completion
{
    /// <summary>Completes names of store records from the store the command line points at (-StorePath, or the default).</summary>
    public abstract class StoreNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var storePath = StorePath(fakeBoundParameters);
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

        /// <summary>
        /// -StorePath as typed so far, else $env:PKICMDLETS_STORE, a relative path taken from the PowerShell
        /// location as the cmdlet itself will take it; null for the default store.
        /// </summary>
        private static string? StorePath(IDictionary fakeBoundParameters)
        {
            var path = fakeBoundParameters.Contains("StorePath")
                ? fakeBoundParameters["StorePath"] as string
                : Environment.GetEnvironmentVariable(StoreLocation.EnvironmentVariable);
            if (string.IsNullOrWhiteSpace(path) || System.IO.Path.IsPathRooted(path)) return string.IsNullOrWhiteSpace(path) ? null : path;
            var location = Runspace.DefaultRunspace?.SessionStateProxy.Path.CurrentFileSystemLocation.ProviderPath;
            return location == null ? path : System.IO.Path.Combine(location, path);
        }

        /// <summary>The records whose name matches the wildcard <paramref name="pattern"/>, with a tool tip each.</summary>
        protected abstract IEnumerable<(string Name, string ToolTip)> Find(PkiStore store, string pattern);
    }
}
