using System.Runtime.InteropServices;

namespace Aqs.Kernel.Network.Interop;

/// <summary>The C library's high-resolution sleep (native names kept).</summary>
internal static partial class Interop
{
    internal static partial class Libc
    {
        internal const int CLOCK_MONOTONIC = 1;
        internal const int TIMER_ABSTIME = 1;

        [StructLayout(LayoutKind.Sequential)]
        internal struct Timespec
        {
            public long tv_sec;
            public long tv_nsec;
        }

        /// <summary>Sleeps until <paramref name="request"/> on <paramref name="clockid"/> (absolute with TIMER_ABSTIME); 0 or an errno (EINTR: woken early).</summary>
        [LibraryImport("libc", EntryPoint = "clock_nanosleep")]
        internal static partial int clock_nanosleep(int clockid, int flags, in Timespec request, nint remain);
    }
}
