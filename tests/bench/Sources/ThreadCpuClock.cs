using System.Runtime.InteropServices;

namespace Aqs.Bench.Sources;

/// <summary>
/// CPU time (user + system) of the calling thread, from CLOCK_THREAD_CPUTIME_ID: what "frames/s per core" means
/// on a shared machine where wall time also counts the time other processes held the core.
/// </summary>
internal static partial class ThreadCpuClock
{
    private const int CLOCK_THREAD_CPUTIME_ID = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long tv_sec;
        public long tv_nsec;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int clock_gettime(int clockId, out Timespec time);

    public static double NowSeconds
    {
        get
        {
            if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, out var t) != 0)
            {
                throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed: errno " + Marshal.GetLastPInvokeError());
            }
            return t.tv_sec + t.tv_nsec * 1e-9;
        }
    }
}
