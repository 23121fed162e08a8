using System.Runtime.InteropServices;
using Aqs.Shared.Interop;

namespace Aqs.Shared.Rings;

/// <summary>
/// A POSIX named semaphore (<c>/dev/shm/sem.NAME</c>) used to wake the other process of a ring.
/// Opened with O_CREAT (mode 0600, value 0) by whichever side comes first.
/// </summary>
internal sealed class PosixSemaphore : SafeHandle
{
    public string Name { get; }

    private PosixSemaphore(string name)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        Name = name;
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    public static PosixSemaphore OpenOrCreate(string name)
    {
        var sem = new PosixSemaphore(name);
        var h = Libc.sem_open(name, Libc.O_CREAT, 0b110_000_000 /* 0600 */, 0);
        if (h == IntPtr.Zero)
        {
            var errno = Marshal.GetLastPInvokeError();
            sem.Dispose();
            throw new RingException($"sem_open {name} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }
        sem.SetHandle(h);
        return sem;
    }

    /// <summary>Wakes one waiter (or lets the next wait pass).</summary>
    public void Post()
    {
        if (Libc.sem_post(handle) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new RingException($"sem_post {Name} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }
    }

    /// <summary>Waits up to <paramref name="timeoutNs"/>; true when posted, false on timeout. Retries EINTR.</summary>
    public bool Wait(long timeoutNs)
    {
        if (timeoutNs <= 0)
        {
            return Libc.sem_trywait(handle) == 0;
        }
        // sem_timedwait takes an absolute CLOCK_REALTIME time (a wall-clock step can stretch or
        // shorten one wait; callers loop on their own monotonic deadline, so that is harmless).
        Libc.clock_gettime(Libc.CLOCK_REALTIME, out var now);
        var total = now.tv_nsec + timeoutNs;
        var deadline = new Libc.Timespec { tv_sec = now.tv_sec + total / 1_000_000_000, tv_nsec = total % 1_000_000_000 };
        while (true)
        {
            if (Libc.sem_timedwait(handle, in deadline) == 0)
            {
                return true;
            }
            var errno = Marshal.GetLastPInvokeError();
            if (errno == Libc.EINTR)
            {
                continue;
            }
            if (errno == Libc.ETIMEDOUT)
            {
                return false;
            }
            throw new RingException($"sem_timedwait {Name} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }
    }

    /// <summary>Removes the name; processes that have it open keep using it.</summary>
    public static void Unlink(string name) => Libc.sem_unlink(name);

    protected override bool ReleaseHandle() => Libc.sem_close(handle) == 0;
}
