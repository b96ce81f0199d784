using System;
using System.Reflection;

namespace PkiCmdlets.Loading
{
    /// <summary>
    /// System.Runtime.Loader.AssemblyLoadContext, reached by reflection because the module targets
    /// netstandard2.0, which does not have it. It exists on .NET Core 3 and later (PowerShell 7), not on
    /// .NET Framework (Windows PowerShell 5.1).
    /// </summary>
    internal sealed class IsolatedLoadContext
    {
        private static readonly Type? ContextType = typeof(object).Assembly.GetType("System.Runtime.Loader.AssemblyLoadContext");

        private readonly object _context;
        private readonly MethodInfo _loadFromAssemblyPath;

        private IsolatedLoadContext(object context)
        {
            _context = context;
            _loadFromAssemblyPath = ContextType!.GetMethod("LoadFromAssemblyPath", new[] { typeof(string) })!;
        }

        public static bool IsSupported => ContextType != null;

        /// <summary>A new context; not collectible, as PowerShell keeps the types of a removed module.</summary>
        public static IsolatedLoadContext Create(string name) =>
            new IsolatedLoadContext(ContextType!.GetConstructor(new[] { typeof(string), typeof(bool) })!.Invoke(new object[] { name, false }));

        public Assembly LoadFromAssemblyPath(string path) => (Assembly)_loadFromAssemblyPath.Invoke(_context, new object[] { path });

        /// <summary>
        /// Adds a static method taking (object, AssemblyName) and returning Assembly to the default context's
        /// Resolving event, a Func&lt;AssemblyLoadContext, AssemblyName, Assembly&gt; that it binds to by
        /// contravariance; returns the delegate that <see cref="RemoveDefaultResolving"/> takes.
        /// </summary>
        public static Delegate AddDefaultResolving(MethodInfo handler)
        {
            var callback = Delegate.CreateDelegate(ResolvingEvent.EventHandlerType!, handler);
            ResolvingEvent.AddEventHandler(DefaultContext, callback);
            return callback;
        }

        public static void RemoveDefaultResolving(Delegate callback) => ResolvingEvent.RemoveEventHandler(DefaultContext, callback);

        private static object DefaultContext => ContextType!.GetProperty("Default")!.GetValue(null)!;

        private static EventInfo ResolvingEvent => ContextType!.GetEvent("Resolving")!;
    }
}
