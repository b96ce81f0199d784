using PkiCmdlets.Core.Requests;
using PkiCmdlets.Core.Store;

namespace PkiCmdlets.Core.Tests.Support;

public static class Services
{
    /// <summary>A CsrService that uses the cached test keys instead of generating new ones.</summary>
    public static CsrService Csrs(PkiStore store) => new(store, TestKeys.For);
}
