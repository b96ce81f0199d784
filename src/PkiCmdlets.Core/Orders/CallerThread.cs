using System;
using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace PkiCmdlets.Core.Orders
{
    /// <summary>
    /// Runs the asynchronous ACME work synchronously for the caller, with every log line and progress report
    /// delivered on the caller's own thread.
    /// </summary>
    /// <remarks>
    /// PowerShell allows WriteVerbose and WriteProgress only on the pipeline thread, but the ACME client's
    /// continuations run on thread-pool threads (it awaits with ConfigureAwait(false)), and so would its Log
    /// callback. So the work runs on the thread pool, its callbacks only queue an action, and the calling
    /// thread runs the queued actions in order until the work is done, then returns its result or rethrows
    /// its exception. Lines appear as the requests happen, not all at the end.
    /// </remarks>
    internal static class CallerThread
    {
        public static T Run<T>(OrderCallbacks? callbacks, Func<OrderCallbacks, Task<T>> work)
        {
            var log = callbacks?.Log;
            var progress = callbacks?.Progress;
            if (log == null && progress == null)
            {
                return Task.Run(() => work(new OrderCallbacks())).GetAwaiter().GetResult();
            }

            using var queue = new BlockingCollection<Action>();
            var relay = new OrderCallbacks
            {
                Log = log == null ? null : new Action<string>(line => queue.Add(() => log(line))),
                Progress = progress == null ? null : new Relay(status => queue.Add(() => progress.Report(status))),
            };
            var task = Task.Run(() => work(relay));
            // Runs once the work has finished, so nothing is added after it.
            task.ContinueWith(_ => queue.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

            Exception? callbackFailure = null;
            foreach (var action in queue.GetConsumingEnumerable())
            {
                // After a callback fails (PowerShell's PipelineStoppedException on Ctrl+C, which also cancels the
                // work), the rest are dropped but still drained, so that the work can finish.
                if (callbackFailure != null) continue;
                try
                {
                    action();
                }
                catch (Exception e)
                {
                    callbackFailure = e;
                }
            }
            if (callbackFailure != null)
            {
                ExceptionDispatchInfo.Capture(callbackFailure).Throw();
            }
            return task.GetAwaiter().GetResult();
        }

        private sealed class Relay : IProgress<string>
        {
            private readonly Action<string> _report;

            public Relay(Action<string> report)
            {
                _report = report;
            }

            public void Report(string value) => _report(value);
        }
    }
}
