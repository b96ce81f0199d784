using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using PkiCmdlets.Core.Acme;

namespace PkiCmdlets.Completion
{
    /// <summary>Completes -Server with the well-known ACME servers' short names; any directory URL is accepted too.</summary>
    public sealed class AcmeServerCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            AcmeServer.ShortNames
                .Where(s => s.Key.StartsWith((wordToComplete ?? string.Empty).Trim('\'', '"'), StringComparison.OrdinalIgnoreCase))
                .OrderBy(s => s.Key, StringComparer.Ordinal)
                .Select(s => new CompletionResult(s.Key, s.Key, CompletionResultType.ParameterValue, s.Value.AbsoluteUri));
    }
}
