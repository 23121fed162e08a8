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
}
