using PkiCmdlets.Core.Errors;
using PkiCmdlets.Core.Orders;

namespace PkiCmdlets.Core.Tests.Orders;

/// <summary>Log lines and progress reach the caller's thread (PowerShell's pipeline thread) while the ACME work runs on the pool.</summary>
public sealed class CallerThreadTests
{
    [Fact]
    public void Callbacks_run_in_order_on_the_calling_thread_while_the_work_runs_elsewhere()
    {
        var caller = Environment.CurrentManagedThreadId;
        var seen = new List<(string Line, int Thread)>();
        var worker = caller;
        var callbacks = new OrderCallbacks
        {
            Log = line => seen.Add((line, Environment.CurrentManagedThreadId)),
            Progress = new Progress<string>(_ => { }),
        };

        var result = CallerThread.Run(callbacks, async relay =>
        {
            relay.Write("first");
            await Task.Delay(20).ConfigureAwait(false);
            worker = Environment.CurrentManagedThreadId;
            relay.Write("second");
            relay.Report("status");
            return 7;
        });

        Assert.Equal(7, result);
        Assert.Equal(new[] { ("first", caller), ("second", caller) }, seen);
        Assert.NotEqual(caller, worker);
    }

    [Fact]
    public void The_works_failure_is_rethrown_after_its_lines_are_delivered()
    {
        var seen = new List<string>();
        var e = Assert.Throws<PkiException>(() => CallerThread.Run<int>(new OrderCallbacks { Log = seen.Add }, async relay =>
        {
            await Task.Yield();
            relay.Write("before");
            throw new PkiException(ErrorIds.AcmeTimeout, PkiErrorKind.OperationTimeout, null, "late");
        }));

        Assert.Equal(ErrorIds.AcmeTimeout, e.ErrorId);
        Assert.Equal(new[] { "before" }, seen);
    }

    [Fact]
    public void A_failing_callback_stops_the_callbacks_but_not_the_work_and_is_rethrown()
    {
        var finished = false;
        var calls = 0;
        var e = Assert.Throws<InvalidOperationException>(() => CallerThread.Run(new OrderCallbacks { Log = _ => { calls++; throw new InvalidOperationException("pipeline stopped"); } }, async relay =>
        {
            relay.Write("one");
            await Task.Delay(20).ConfigureAwait(false);
            relay.Write("two");
            finished = true;
            return 0;
        }));

        Assert.Equal("pipeline stopped", e.Message);
        Assert.Equal(1, calls);
        Assert.True(finished);
    }

    [Fact]
    public void Without_callbacks_the_work_still_runs_and_returns()
    {
        Assert.Equal(3, CallerThread.Run(null, async relay =>
        {
            relay.Write("nobody listens");
            await Task.Yield();
            return 3;
        }));
    }
}
