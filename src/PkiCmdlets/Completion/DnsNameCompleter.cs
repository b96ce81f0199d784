using System;
using System.Collections.Generic;
using System.Linq;
using PkiCmdlets.Core.Authority;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Completion
{
    /// <summary>Completes the DNS names and IP addresses of the certificates in the store (Get-IssuedCertificate -DnsName).</summary>
    public sealed class DnsNameCompleter : StoreNameCompleter
    {
        protected override IEnumerable<(string Name, string ToolTip)> Find(PkiStore store, string pattern)
        {
            var prefix = pattern.TrimEnd('*');
            return new CertificateService(store).FindEach(new CertificateQuery(), new List<Core.Errors.PkiException>())
                .SelectMany(c => c.Names.Select(n => (Name: n, c.CommonName)))
                .Where(n => n.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .GroupBy(n => n.Name, StringComparer.OrdinalIgnoreCase)
                .OrderBy(g => g.Key, StringComparer.OrdinalIgnoreCase)
                .Take(200)
                .Select(g => (g.Key, g.Key));
        }
    }
}
