using Aqs.Shared.Timing;

namespace Aqs.Shared.Rings;

public sealed partial class FrameWriter
{
    /// <summary>Consumers attached now (either policy).</summary>
    public int ActiveConsumers
    {
        get
        {
            var count = 0;
            for (var i = 0; i < _ring.MaxConsumers; i++)
            {
                if (_ring.Consumer(i).LoadState() == ConsumerState.Active)
                {
                    count++;
                }
            }
            return count;
        }
    }

    /// <summary>
    /// Waits until at least <paramref name="count"/> consumers are attached, so a pipeline started
    /// all at once loses no first frames; false when <paramref name="timeout"/> passed first.
    /// </summary>
    public bool WaitForConsumers(int count, TimeSpan timeout, CancellationToken cancel = default)
    {
        var deadline = MonotonicClock.NowNs + (long)timeout.TotalNanoseconds;
        while (ActiveConsumers < count)
        {
            if (MonotonicClock.NowNs >= deadline || cancel.IsCancellationRequested)
            {
                return false;
            }
            Heartbeat();
            Thread.Sleep(5);
        }
        return true;
    }
}
