using ILGPU;
using ILGPU.Runtime;

namespace Aqs.Shared.Quality.Gpu;

/// <summary>
/// Everything one frame in flight needs: its own stream, device copies of the reference, distorted and previous
/// reference luma (raw and widened), the scratch planes of every pass, the frame's integer totals, and page-locked
/// host memory for the distorted upload and the totals' read-back. Slots never share scratch, so the streams of
/// several slots run side by side (one frame's upload under another's kernels).
/// </summary>
internal sealed class VmafFrameSlot : IDisposable
{
    public readonly AcceleratorStream Stream;
    public readonly MemoryBuffer1D<byte, Stride1D.Dense> RawRef;
    public readonly MemoryBuffer1D<byte, Stride1D.Dense> RawDis;
    public readonly MemoryBuffer1D<byte, Stride1D.Dense> RawPrevious;
    /// <summary>Reference, distorted, previous reference samples, one plane each.</summary>
    public readonly MemoryBuffer1D<ushort, Stride1D.Dense> Samples;
    /// <summary>VIF vertical pass: mu1, mu2, xx, yy, xy planes of the full-size plane.</summary>
    public readonly MemoryBuffer1D<uint, Stride1D.Dense> Moments;
    /// <summary>VIF decimated reference/distorted planes, ping-pong between scales (A: 1 and 3, B: 2).</summary>
    public readonly MemoryBuffer1D<ushort, Stride1D.Dense> VifA;
    public readonly MemoryBuffer1D<ushort, Stride1D.Dense> VifB;
    public readonly MemoryBuffer1D<int, Stride1D.Dense> Motion;
    public readonly MemoryBuffer1D<int, Stride1D.Dense> Adm;
    public readonly MemoryBuffer1D<long, Stride1D.Dense> Results;
    public readonly PageLockedArray1D<byte> DisStaging;
    public readonly PageLockedArray1D<long> ResultsHost;

    /// <summary>Index of the frame whose work is queued on this slot, or -1 when idle.</summary>
    public int Frame = -1;

    public VmafFrameSlot(Accelerator accelerator, int frameBytes, int samples, int admBandSize)
    {
        Stream = accelerator.CreateStream();
        RawRef = accelerator.Allocate1D<byte>(frameBytes);
        RawDis = accelerator.Allocate1D<byte>(frameBytes);
        RawPrevious = accelerator.Allocate1D<byte>(frameBytes);
        Samples = accelerator.Allocate1D<ushort>(3L * samples);
        Moments = accelerator.Allocate1D<uint>(5L * samples);
        var quarter = Math.Max(1, samples / 4);
        VifA = accelerator.Allocate1D<ushort>(2L * quarter);
        VifB = accelerator.Allocate1D<ushort>(2L * quarter);
        Motion = accelerator.Allocate1D<int>(samples);
        Adm = accelerator.Allocate1D<int>((long)VmafKernels.AdmBandCount * admBandSize);
        Results = accelerator.Allocate1D<long>(VmafResultSlots.Count);
        DisStaging = accelerator.AllocatePageLocked1D<byte>(frameBytes);
        ResultsHost = accelerator.AllocatePageLocked1D<long>(VmafResultSlots.Count);
    }

    public void Dispose()
    {
        Stream.Dispose();
        RawRef.Dispose();
        RawDis.Dispose();
        RawPrevious.Dispose();
        Samples.Dispose();
        Moments.Dispose();
        VifA.Dispose();
        VifB.Dispose();
        Motion.Dispose();
        Adm.Dispose();
        Results.Dispose();
        DisStaging.Dispose();
        ResultsHost.Dispose();
    }
}
