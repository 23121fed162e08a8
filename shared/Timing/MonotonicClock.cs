using System.Diagnostics;

namespace Aqs.Shared.Timing;

/// <summary>
/// One clock for every process of a session: CLOCK_MONOTONIC in nanoseconds (what
/// <see cref="Stopwatch"/> reads on Linux), so capture times stamped by one kernel can be
/// subtracted from "now" in another.
/// </summary>
public static class MonotonicClock
{
    private static readonly double TicksToNs = 1e9 / Stopwatch.Frequency;

    public static long NowNs => (long)(Stopwatch.GetTimestamp() * TicksToNs);

    public static double ElapsedMs(long sinceNs) => (NowNs - sinceNs) / 1e6;

    /// <summary>
    /// Sleeps until <paramref name="ns"/> on this clock with the kernel's high-resolution timer (clock_nanosleep,
    /// absolute), which wakes tens of microseconds late where Thread.Sleep wakes a millisecond late. May return
    /// early if a signal interrupts it: callers check the clock.
    /// </summary>
    public static void SleepUntilNs(long ns)
    {
        var ts = new Interop.Libc.Timespec { tv_sec = ns / 1_000_000_000, tv_nsec = ns % 1_000_000_000 };
        Interop.Libc.clock_nanosleep(Interop.Libc.CLOCK_MONOTONIC, Interop.Libc.TIMER_ABSTIME, ts, 0);
    }
}
