using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using PkiCmdlets.Core.Keys;

namespace PkiCmdlets.Completion
{
    /// <summary>Completes -Algorithm with the common spellings; the parameter accepts more (see KeySpec.Parse).</summary>
    public sealed class KeyAlgorithmCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            KeySpec.CompletionValues
                .Where(v => v.StartsWith((wordToComplete ?? string.Empty).Trim('\'', '"'), StringComparison.OrdinalIgnoreCase))
                .Select(v => new CompletionResult(v, v, CompletionResultType.ParameterValue, v));
    }
}
