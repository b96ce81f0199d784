using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using PkiCmdlets.Core.Errors;

namespace PkiCmdlets.Core.Store
{
    /// <summary>
    /// A cross-process exclusive lock on the store: an exclusively opened lock file (flock on Unix, a
    /// share-mode lock on Windows). The operating system releases it if the process dies, so a crash
    /// never leaves the store locked.
    /// </summary>
    internal sealed class StoreLock : IDisposable
    {
        private readonly FileStream _stream;

        private StoreLock(FileStream stream)
        {
            _stream = stream;
        }

        public static StoreLock Acquire(string lockPath, TimeSpan timeout, CancellationToken cancellation)
        {
            var clock = Stopwatch.StartNew();
            var random = new Random();
            while (true)
            {
                try
                {
                    var created = !File.Exists(lockPath);
                    var stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                    if (created) FilePermissions.Restrict(lockPath, FilePermissions.OwnerOnlyFile);
                    return new StoreLock(stream);
                }
                catch (IOException) when (File.Exists(lockPath) || Directory.Exists(Path.GetDirectoryName(lockPath)))
                {
                    // Held by another writer: wait a little (jittered so waiters do not move in step) and retry.
                }
                if (clock.Elapsed >= timeout)
                {
                    throw new PkiException(ErrorIds.StoreLockTimeout, PkiErrorKind.OperationTimeout, lockPath,
                        Messages.StoreLockTimeout.Format(lockPath, (int)Math.Ceiling(timeout.TotalSeconds)));
                }
                if (cancellation.WaitHandle.WaitOne(random.Next(2, 15)))
                {
                    throw new PkiException(ErrorIds.OperationCancelled, PkiErrorKind.OperationStopped, lockPath, Messages.OperationCancelled);
                }
            }
        }

        /// <summary>
        /// The lock file at <paramref name="lockPath"/> if no one holds it, else null, without waiting; the file is deleted
        /// when the lock is let go. For a claim on one thing that may take long, such as a renewal over the network.
        /// </summary>
        public static StoreLock? TryAcquire(string lockPath)
        {
            try
            {
                var stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
                FilePermissions.Restrict(lockPath, FilePermissions.OwnerOnlyFile);
                return new StoreLock(stream);
            }
            catch (IOException) when (File.Exists(lockPath))
            {
                return null;
            }
        }

        public void Dispose() => _stream.Dispose();
    }
}
