using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using PkiCmdlets.Core.Keys;
using PkiCmdlets.Core.Requests;

namespace PkiCmdlets.Completion
{
    /// <summary>
    /// Completes from a fixed list. A parameter with a completer never falls back to file names, which PowerShell otherwise
    /// offers for any parameter it knows nothing about (an -Id, a -KeySize, a -Country).
    /// </summary>
    public abstract class ListCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return Values(fakeBoundParameters)
                .Where(v => v.Value.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                .Select(v => new CompletionResult(v.Value, v.Value, CompletionResultType.ParameterValue, v.ToolTip))
                .ToList();
        }

        protected abstract IEnumerable<(string Value, string ToolTip)> Values(IDictionary fakeBoundParameters);
    }

    /// <summary>Completes -KeySize with the sizes the -Algorithm typed so far allows (all of them without one).</summary>
    public sealed class KeySizeCompleter : ListCompleter
    {
        protected override IEnumerable<(string Value, string ToolTip)> Values(IDictionary fakeBoundParameters)
        {
            var algorithm = (fakeBoundParameters["Algorithm"] as string ?? string.Empty).Trim().ToUpperInvariant();
            IEnumerable<int> sizes = algorithm.StartsWith("RSA", StringComparison.Ordinal) ? KeySpec.RsaSizes
                : algorithm.StartsWith("SM2", StringComparison.Ordinal) ? new[] { 256 }
                : algorithm.StartsWith("EC", StringComparison.Ordinal) ? KeySpec.EccSizes
                : KeySpec.EccSizes.Concat(KeySpec.RsaSizes);
            return sizes.Select(s => (s.ToString(CultureInfo.InvariantCulture), s.ToString(CultureInfo.InvariantCulture)));
        }
    }

    /// <summary>Completes -Country with the ISO 3166-1 alpha-2 codes the module accepts.</summary>
    public sealed class CountryCodeCompleter : ListCompleter
    {
        protected override IEnumerable<(string Value, string ToolTip)> Values(IDictionary fakeBoundParameters) =>
            CountryCodes.All.OrderBy(c => c, StringComparer.Ordinal).Select(c => (c, c));
    }
}
