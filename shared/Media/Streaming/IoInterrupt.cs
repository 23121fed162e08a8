using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Aqs.Shared.Timing;

namespace Aqs.Shared.Media;

/// <summary>
/// libavformat's AVIOInterruptCB for network I/O: a blocking open, read or write (an SRT listener waiting for its
/// caller, a UDP read with no sender) gives up with AVERROR_EXIT when <see cref="Stop"/> is cancelled or the
/// deadline set by <see cref="Arm"/> has passed. libavformat polls it every ~100 ms from whatever thread does the I/O.
/// Must outlive every context it was handed to.
/// </summary>
public sealed unsafe class IoInterrupt : IDisposable
{
    private readonly CancellationToken _stop;
    private GCHandle _self;
    private IntPtr _native;
    private long _deadlineNs = long.MaxValue;
    private int _expired;

    public IoInterrupt(CancellationToken stop)
    {
        _stop = stop;
        _self = GCHandle.Alloc(this, GCHandleType.Normal);
        _native = Marshal.AllocHGlobal(AvLayout.AVIOInterruptCB_size_of);
        var block = (IntPtr*)_native;
        block[0] = (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, int>)&Check;
        block[1] = GCHandle.ToIntPtr(_self);
    }

    public CancellationToken Stop => _stop;

    /// <summary>True when a call since the last <see cref="Arm"/> was ended because the deadline passed (not by a stop).</summary>
    public bool TimedOut => Volatile.Read(ref _expired) != 0;

    /// <summary>The next I/O call gives up <paramref name="within"/> from now; <see cref="Timeout.InfiniteTimeSpan"/> waits for a stop only.</summary>
    public void Arm(TimeSpan within)
    {
        Volatile.Write(ref _expired, 0);
        Volatile.Write(ref _deadlineNs, within == Timeout.InfiniteTimeSpan ? long.MaxValue : MonotonicClock.NowNs + (long)within.TotalNanoseconds);
    }

    /// <summary>The AVIOInterruptCB* to pass to avio_open2 (which copies it).</summary>
    internal IntPtr Native => _native != IntPtr.Zero ? _native : throw new ObjectDisposedException(nameof(IoInterrupt));

    /// <summary>Copies the callback into an AVFormatContext, whose protocols then use it.</summary>
    internal void InstallInto(IntPtr formatContext)
    {
        var field = new NativeStruct(formatContext, AvLayout.AVFormatContext_size_of).FieldAddress(AvLayout.AVFormatContext_interrupt_callback, AvLayout.AVIOInterruptCB_size_of);
        Buffer.MemoryCopy((void*)Native, (void*)field, AvLayout.AVIOInterruptCB_size_of, AvLayout.AVIOInterruptCB_size_of);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Check(IntPtr opaque)
    {
        // Never throw across the native frame: a freed handle reads as "interrupt".
        if (GCHandle.FromIntPtr(opaque).Target is not IoInterrupt self)
        {
            return 1;
        }
        if (self._stop.IsCancellationRequested)
        {
            return 1;
        }
        if (MonotonicClock.NowNs < Volatile.Read(ref self._deadlineNs))
        {
            return 0;
        }
        Volatile.Write(ref self._expired, 1);
        return 1;
    }

    public void Dispose()
    {
        if (_native == IntPtr.Zero)
        {
            return;
        }
        Marshal.FreeHGlobal(_native);
        _native = IntPtr.Zero;
        _self.Free();
    }
}
