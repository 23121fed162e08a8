using System.Runtime.InteropServices;
using Aqs.Shared.Interop;

namespace Aqs.Shared.Rings;

public sealed partial class FrameWriter
{
    private bool _pagesLocked;

    /// <summary>
    /// Locks every page of the ring in RAM (mlock), so a frame never waits on a page fault or swap-in. True when
    /// locked; false with a one-line <paramref name="reason"/> when the system refuses (most often RLIMIT_MEMLOCK,
    /// e.g. the usual 8 MiB against a ring of hundreds) or the platform has no mlock. Never throws for a refusal:
    /// the ring works the same unlocked. The lock ends when the ring is unmapped.
    /// </summary>
    public unsafe bool TryLockPages(out string? reason)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!OperatingSystem.IsLinux())
        {
            reason = "page locking (mlock) is only done on Linux";
            return false;
        }
        var (address, length) = _ring.Mapping;
        int errno;
        try
        {
            if (Libc.mlock((void*)address, (nuint)length) == 0)
            {
                _pagesLocked = true;
                reason = null;
                return true;
            }
            errno = Marshal.GetLastPInvokeError();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            reason = $"mlock is not available: {e.Message.Split('\n')[0]}";
            return false;
        }
        var mib = length / (1024.0 * 1024.0);
        reason = errno is Libc.ENOMEM or Libc.EPERM
            ? $"ring {_ring.Name}: cannot lock its {mib:F1} MiB in RAM: {MemlockLimit()} (raise it with ulimit -l, LimitMEMLOCK= or CAP_IPC_LOCK)"
            : $"ring {_ring.Name}: mlock of {mib:F1} MiB failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";
        return false;
    }

    /// <summary>Before unmapping: .NET flushes a view when disposing it, and msync refuses locked pages (EBUSY).</summary>
    private unsafe void UnlockPages()
    {
        if (_pagesLocked)
        {
            _pagesLocked = false;
            var (address, length) = _ring.Mapping;
            _ = Libc.munlock((void*)address, (nuint)length);
        }
    }

    private static string MemlockLimit()
    {
        if (Libc.getrlimit(Libc.RLIMIT_MEMLOCK, out var limit) != 0)
        {
            return "RLIMIT_MEMLOCK unknown";
        }
        return limit.rlim_cur == Libc.RLIM_INFINITY
            ? "RLIMIT_MEMLOCK is unlimited, but the system refused (memory full?)"
            : $"RLIMIT_MEMLOCK is {limit.rlim_cur / 1024} KiB (locked memory counts across the process)";
    }
}
