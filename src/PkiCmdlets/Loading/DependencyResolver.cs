using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;

namespace PkiCmdlets.Loading
{
    /// <summary>
    /// Loads PkiCmdlets.Core and the third-party assemblies it uses from the module's dependencies/ folder. On
    /// PowerShell 7 they live in an AssemblyLoadContext of their own, so another module's BouncyCastle or
    /// Newtonsoft.Json, of any version, loaded before or after ours, is never bound to ours or ours to it.
    /// On Windows PowerShell 5.1, which has no load contexts, they load into the one AppDomain.
    /// </summary>
    internal static class DependencyResolver
    {
        private const string FolderName = "dependencies";
        private const string ContextName = "PkiCmdlets";

        // The only assembly of ours in dependencies/: PkiCmdlets.dll references it, so the default context asks for it.
        private const string CoreAssembly = "PkiCmdlets.Core";

        private static readonly object Sync = new object();
        // Assembly name -> file, for every assembly in dependencies/: the only files either resolver answers with.
        private static readonly Dictionary<string, string> Files = Directory
            .GetFiles(Path.Combine(Path.GetDirectoryName(typeof(DependencyResolver).Assembly.Location)!, FolderName), "*.dll")
            .ToDictionary(f => Path.GetFileNameWithoutExtension(f), StringComparer.OrdinalIgnoreCase);
        private static readonly Lazy<Assembly> IsolatedCore = new Lazy<Assembly>(LoadIsolated);
        private static Delegate? _defaultContextHandler;
        private static bool _appDomainHandler;

        public static void Register()
        {
            lock (Sync)
            {
                if (IsolatedLoadContext.IsSupported)
                {
                    _defaultContextHandler ??= IsolatedLoadContext.AddDefaultResolving(Handler(nameof(ResolveCore)));
                }
                else if (!_appDomainHandler)
                {
                    AppDomain.CurrentDomain.AssemblyResolve += ResolveFromFolder;
                    _appDomainHandler = true;
                }
            }
        }

        public static void Unregister()
        {
            lock (Sync)
            {
                if (_defaultContextHandler != null)
                {
                    IsolatedLoadContext.RemoveDefaultResolving(_defaultContextHandler);
                    _defaultContextHandler = null;
                }
                if (_appDomainHandler)
                {
                    AppDomain.CurrentDomain.AssemblyResolve -= ResolveFromFolder;
                    _appDomainHandler = false;
                }
            }
        }

        private static Assembly? ResolveCore(object context, AssemblyName name) =>
            string.Equals(name.Name, CoreAssembly, StringComparison.OrdinalIgnoreCase) ? IsolatedCore.Value : null;

        /// <summary>
        /// Every assembly of dependencies/ goes into the private context at once, before Core runs: the runtime
        /// binds a context's references first to what that context has loaded, then to the default context
        /// (PowerShell's own assemblies and whatever other modules loaded there), and asks the context's
        /// Resolving event only after that, so a lazily resolved BouncyCastle would be another module's.
        /// </summary>
        private static Assembly LoadIsolated()
        {
            var context = IsolatedLoadContext.Create(ContextName);
            var loaded = Files.ToDictionary(f => f.Key, f => context.LoadFromAssemblyPath(f.Value), StringComparer.OrdinalIgnoreCase);
            return loaded[CoreAssembly];
        }

        /// <summary>Windows PowerShell 5.1: answers only with files of dependencies/.</summary>
        private static Assembly? ResolveFromFolder(object sender, ResolveEventArgs args) =>
            Files.TryGetValue(new AssemblyName(args.Name).Name!, out var path) ? Assembly.LoadFrom(path) : null;

        private static MethodInfo Handler(string name) => typeof(DependencyResolver).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static)!;
    }
}
