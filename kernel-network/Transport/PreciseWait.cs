using Aqs.Shared.Timing;

namespace Aqs.Kernel.Network.Transport;

/// <summary>
/// Waits until a CLOCK_MONOTONIC instant with sub-millisecond accuracy and little CPU: an absolute
/// <c>clock_nanosleep</c> (hrtimer; wakes about 50-60 µs late with the default timer slack) to
/// <see cref="SpinBelowUs"/> before the instant, then a short spin for the rest. Thread.Sleep(1) would wake a
/// millisecond or more late, which is why the pacer used to send sub-millisecond slots early in bursts.
/// </summary>
public static class PreciseWait
{
    /// <summary>Below this remaining time the wait spins instead of sleeping.</summary>
    public const long SpinBelowUs = 200;

    /// <summary>A datagram this close to its due time leaves now (the send itself takes about as long).</summary>
    public const long SendEarlyUs = 10;

    /// <summary>What to do with <paramref name="remainingUs"/> left until a due time.</summary>
    public static WaitStep Plan(long remainingUs) => remainingUs switch
    {
        <= SendEarlyUs => WaitStep.SendNow,
        < SpinBelowUs => WaitStep.Spin,
        _ => WaitStep.Sleep,
    };

    public static void Until(long dueUs)
    {
        while (true)
        {
            var remaining = dueUs - MonotonicClock.NowNs / 1000;
            switch (Plan(remaining))
            {
                case WaitStep.SendNow:
                    return;
                case WaitStep.Spin:
                    Thread.SpinWait(20);
                    break;
                default:
                    SleepUntilNs((dueUs - SpinBelowUs / 2) * 1000);
                    break;
            }
        }
    }

    private static void SleepUntilNs(long ns) => MonotonicClock.SleepUntilNs(ns);
}

/// <summary>The pacer's next move while waiting for a datagram's slot.</summary>
public enum WaitStep
{
    SendNow,
    Spin,
    Sleep,
}
