using System.Runtime.InteropServices;

namespace Aqs.Bench.Network;

/// <summary>
/// CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID). Throughput "per core" is bytes per CPU-second,
/// which stays meaningful when other processes share the cores; wall time would charge us for their turns.
/// </summary>
internal static partial class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3;

    public static double NowSeconds()
    {
        if (clock_gettime(ClockThreadCpuTimeId, out var t) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed: errno " + Marshal.GetLastPInvokeError());
        }
        return t.Seconds + t.Nanoseconds * 1e-9;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int clock_gettime(int clock, out Timespec time);
}
