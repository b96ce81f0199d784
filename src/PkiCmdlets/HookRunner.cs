using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using PkiCmdlets.Core.Orders;

namespace PkiCmdlets
{
    /// <summary>
    /// Runs the hooks the core asks for, in PowerShell, in the runspace of the cmdlet that asked (on its pipeline thread):
    /// the registered script block (kept as text, so it sees none of the variables of the session that registered it) or
    /// script file, called with named arguments. Any error it writes stops it and reaches the core, which reports it per
    /// certificate; what it writes to the output is passed on as verbose lines.
    /// </summary>
    internal static class HookRunner
    {
        private const string Call = "param($Hook, [hashtable] $Arguments) $ErrorActionPreference = 'Stop'; & $Hook @Arguments";

        public static Action<Hook, IDictionary<string, object?>> For(PSCmdlet cmdlet) => (hook, arguments) => Run(cmdlet, hook, arguments);

        private static void Run(PSCmdlet cmdlet, Hook hook, IDictionary<string, object?> arguments)
        {
            using var powershell = PowerShell.Create(RunspaceMode.CurrentRunspace);
            var target = hook.Path != null ? (object)hook.Path : ScriptBlock.Create(hook.ScriptBlock ?? string.Empty);
            powershell.AddScript(Call, useLocalScope: true).AddParameter("Hook", target).AddParameter("Arguments", new Hashtable((IDictionary)arguments));
            foreach (var output in powershell.Invoke())
            {
                if (output != null) cmdlet.WriteVerbose(output.ToString());
            }
        }
    }
}
