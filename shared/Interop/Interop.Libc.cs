using System.Runtime.InteropServices;

namespace Aqs.Shared.Interop;

/// <summary>The few glibc calls the rings need: POSIX named semaphores, kill(2) and the clocks.</summary>
internal static partial class Libc
{
    internal const int O_CREAT = 0x40;
    internal const int O_EXCL = 0x80;

    internal const int EPERM = 1;
    internal const int ENOENT = 2;
    internal const int ESRCH = 3;
    internal const int EINTR = 4;
    internal const int EAGAIN = 11;
    internal const int ETIMEDOUT = 110;

    internal const int CLOCK_REALTIME = 0;
    internal const int CLOCK_MONOTONIC = 1;
    internal const int TIMER_ABSTIME = 1;

    /// <summary>struct timespec on 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Timespec
    {
        public long tv_sec;
        public long tv_nsec;
    }

    /// <summary>
    /// sem_open is variadic (mode and value follow O_CREAT). On x86-64 and arm64 Linux the
    /// variadic integer arguments travel in the same registers as fixed ones, so binding it with
    /// four fixed parameters is sound there. Returns SEM_FAILED, which glibc defines as a null
    /// pointer (not -1), on failure.
    /// </summary>
    [LibraryImport(Libraries.Libc, EntryPoint = "sem_open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial IntPtr sem_open(string name, int oflag, uint mode, uint value);

    [LibraryImport(Libraries.Libc, EntryPoint = "sem_post", SetLastError = true)]
    internal static partial int sem_post(IntPtr sem);

    /// <summary>Waits until <paramref name="absTimeout"/>, an absolute CLOCK_REALTIME time.</summary>
    [LibraryImport(Libraries.Libc, EntryPoint = "sem_timedwait", SetLastError = true)]
    internal static partial int sem_timedwait(IntPtr sem, in Timespec absTimeout);

    [LibraryImport(Libraries.Libc, EntryPoint = "sem_trywait", SetLastError = true)]
    internal static partial int sem_trywait(IntPtr sem);

    [LibraryImport(Libraries.Libc, EntryPoint = "sem_close", SetLastError = true)]
    internal static partial int sem_close(IntPtr sem);

    [LibraryImport(Libraries.Libc, EntryPoint = "sem_unlink", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int sem_unlink(string name);

    [LibraryImport(Libraries.Libc, EntryPoint = "kill", SetLastError = true)]
    internal static partial int kill(int pid, int sig);

    /// <summary>Sleeps until <paramref name="request"/> on <paramref name="clockid"/> (absolute with TIMER_ABSTIME); 0 or an errno (EINTR: woken early).</summary>
    [LibraryImport(Libraries.Libc, EntryPoint = "clock_nanosleep")]
    internal static partial int clock_nanosleep(int clockid, int flags, in Timespec request, nint remain);

    [LibraryImport(Libraries.Libc, EntryPoint = "clock_gettime", SetLastError = true)]
    internal static partial int clock_gettime(int clockId, out Timespec tp);
}
