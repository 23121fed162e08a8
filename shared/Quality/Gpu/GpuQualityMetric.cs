using System.Runtime.InteropServices;
using Aqs.Shared.Frames;
using Aqs.Shared.Gpu;
using ILGPU;
using ILGPU.Runtime;

namespace Aqs.Shared.Quality.Gpu;

/// <summary>
/// SSIM and PSNR of a frame pair on an ILGPU accelerator (CUDA when present). Per frame: one upload of each frame
/// (one copy per plane when the planes are not packed together), a memset, three kernels, each over all planes, on the default
/// stream with no synchronisation between them, and one read-back of a few kilobytes of results (which waits for
/// the kernels). Results equal the CPU path's (<see cref="SsimMetric"/>, <see cref="PsnrMetric"/>) within 1e-5
/// relative; PSNR sums are exact. Device buffers are allocated once, in the constructor; planes too small for an
/// 8x8 window are scored on the CPU, as <see cref="SsimMetric"/> does. Not thread-safe.
/// </summary>
public sealed class GpuQualityMetric : IDisposable
{
    private const int RowSlots = 3;

    private readonly GpuContext _gpu;
    private readonly FrameLayout _layout;
    private readonly PsnrMetric _psnr;
    private readonly SsimMetric _ssim;
    private readonly int _group;
    private readonly int _planeCount;
    private readonly FrameGeometry _frame;
    private readonly int _rowCount;
    private readonly int _blockCount;
    private readonly int _windowRowCount;
    private readonly MemoryBuffer1D<byte, Stride1D.Dense> _a;
    private readonly MemoryBuffer1D<byte, Stride1D.Dense> _b;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> _sums;
    /// <summary>[0..3): sum of squared differences per plane; then per-plane rows of SSIM totals as double bits.</summary>
    private readonly MemoryBuffer1D<long, Stride1D.Dense> _results;
    private readonly long[] _resultsHost;
    private readonly Action<KernelConfig, ArrayView<byte>, ArrayView<byte>, ArrayView<long>, FrameGeometry> _sseRows;
    private readonly Action<Index1D, ArrayView<byte>, ArrayView<byte>, ArrayView<int>, FrameGeometry> _blockSums;
    private readonly Action<KernelConfig, ArrayView<int>, ArrayView<long>, FrameGeometry> _windowRows;

    public GpuQualityMetric(GpuContext gpu, FrameLayout layout)
    {
        _gpu = gpu;
        _layout = layout;
        _psnr = new PsnrMetric(layout);
        _ssim = new SsimMetric(layout);
        var accelerator = gpu.Accelerator;
        // The row kernels' tree reductions want a power of two; ILGPU's CPU accelerator allows only 16 a group.
        _group = 1;
        while (_group * 2 <= Math.Min(QualityKernels.MaxGroup, accelerator.MaxNumThreadsPerGroup))
        {
            _group *= 2;
        }
        _planeCount = layout.PlaneCount;
        var bytes = layout.Format.BytesPerSample();
        var (c1, c2) = SsimKernels.Constants((1 << layout.Format.BitDepth()) - 1);
        var rowSlot = RowSlots;
        var frame = default(FrameGeometry);
        for (var p = 0; p < layout.PlaneCount; p++)
        {
            var width = layout.PlaneWidth(p);
            var height = layout.PlaneHeight(p);
            var g = new PlaneGeometry
            {
                Width = width,
                Height = height,
                OffsetA = layout.Offset(p),
                OffsetB = layout.Offset(p),
                StrideA = width,
                StrideB = width,
                BytesPerSample = bytes,
                BlocksX = width >> 2,
                BlocksY = height >> 2,
                Deep = bytes > 1 ? 1 : 0,
                C1 = c1,
                C2 = c2,
                SseSlot = p,
                RowSlot = rowSlot,
                RowStart = _rowCount,
                BlockStart = _blockCount,
                WindowRowStart = _windowRowCount,
            };
            _rowCount += height;
            if (HasWindows(g))
            {
                rowSlot += g.BlocksY - 1;
                _blockCount += g.BlocksX * g.BlocksY;
                _windowRowCount += g.BlocksY - 1;
            }
            frame[p] = g;
        }
        for (var p = layout.PlaneCount; p < 3; p++)
        {
            frame[p] = new PlaneGeometry { RowStart = _rowCount, BlockStart = _blockCount, WindowRowStart = _windowRowCount };
        }
        _frame = frame;
        _a = accelerator.Allocate1D<byte>(layout.FrameSize);
        _b = accelerator.Allocate1D<byte>(layout.FrameSize);
        _sums = accelerator.Allocate1D<int>(Math.Max(1, 4 * _blockCount));
        _results = accelerator.Allocate1D<long>(rowSlot);
        _resultsHost = new long[rowSlot];
        _sseRows = accelerator.LoadStreamKernel<ArrayView<byte>, ArrayView<byte>, ArrayView<long>, FrameGeometry>(QualityKernels.SseRows);
        _blockSums = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<byte>, ArrayView<byte>, ArrayView<int>, FrameGeometry>(QualityKernels.BlockSums);
        _windowRows = accelerator.LoadStreamKernel<ArrayView<int>, ArrayView<long>, FrameGeometry>(QualityKernels.WindowRows);
    }

    public FrameLayout Layout => _layout;

    public string Device => _gpu.Description;

    public void Compute(in PlanarFrame reference, in PlanarFrame distorted, out SsimResult ssim, out PsnrResult psnr)
    {
        FrameChecks.RequireMatching(_layout, reference, distorted, "gpu quality");
        Upload(reference, distorted);
        Score(reference, distorted, out ssim, out psnr);
    }

    /// <summary>Copies both frames to the device (split from <see cref="Score"/> so the benchmark can time transfers apart).</summary>
    internal void Upload(in PlanarFrame reference, in PlanarFrame distorted)
    {
        Upload(reference, _a);
        Upload(distorted, _b);
    }

    /// <summary>Scores the frames last uploaded; <paramref name="reference"/> and <paramref name="distorted"/> serve planes too small for the GPU.</summary>
    internal void Score(in PlanarFrame reference, in PlanarFrame distorted, out SsimResult ssim, out PsnrResult psnr)
    {
        ((ArrayView<long>)_results.View).SubView(0, RowSlots).MemSetToZero();
        var group = new Index1D(_group);
        _sseRows(new KernelConfig(new Index1D(_rowCount), group), _a.View, _b.View, _results.View, _frame);
        if (_windowRowCount > 0)
        {
            // The window kernel reads the block sums: launches on one stream run in order.
            _blockSums(new Index1D(_blockCount), _a.View, _b.View, _sums.View, _frame);
            _windowRows(new KernelConfig(new Index1D(_windowRowCount), group), _sums.View, _results.View, _frame);
        }
        // The one synchronisation of the frame: the copy waits for every kernel before it on the stream.
        _results.View.CopyToCPU(_resultsHost);

        Span<ulong> sse = stackalloc ulong[3];
        Span<double> planes = stackalloc double[3] { 1.0, 1.0, 1.0 };
        var max = (1 << _layout.Format.BitDepth()) - 1;
        for (var p = 0; p < _planeCount; p++)
        {
            var g = _frame[p];
            sse[p] = (ulong)_resultsHost[g.SseSlot];
            if (HasWindows(g))
            {
                // Rows added in order, in double, as SsimMetric does.
                var sum = 0.0;
                for (var y = 0; y < g.BlocksY - 1; y++)
                {
                    sum += BitConverter.Int64BitsToDouble(_resultsHost[g.RowSlot + y]);
                }
                planes[p] = sum / ((g.BlocksX - 1) * (g.BlocksY - 1));
            }
            else
            {
                planes[p] = SmallPlane(reference, distorted, p, max);
            }
        }
        psnr = _psnr.FromSse(sse);
        ssim = _ssim.FromPlanes(planes);
    }

    private static bool HasWindows(in PlaneGeometry g) => g.BlocksX >= 2 && g.BlocksY >= 2;

    /// <summary>Copies a frame packed (plane after plane, row after row) into the device buffer: one copy when it is packed already.</summary>
    private void Upload(in PlanarFrame frame, MemoryBuffer1D<byte, Stride1D.Dense> buffer)
    {
        ArrayView<byte> view = buffer.View;
        if (IsPacked(frame))
        {
            view.CopyFromCPU(MemoryMarshal.CreateReadOnlySpan(ref MemoryMarshal.GetReference(frame.Plane0), _layout.FrameSize));
            return;
        }
        for (var p = 0; p < _layout.PlaneCount; p++)
        {
            var rowBytes = _layout.Stride(p);
            var offset = _layout.Offset(p);
            var source = frame.Plane(p);
            var stride = frame.Stride(p);
            if (stride == rowBytes)
            {
                view.SubView(offset, _layout.PlaneSize(p)).CopyFromCPU(source[.._layout.PlaneSize(p)]);
                continue;
            }
            for (var y = 0; y < _layout.PlaneHeight(p); y++)
            {
                view.SubView(offset + y * rowBytes, rowBytes).CopyFromCPU(source.Slice(y * stride, rowBytes));
            }
        }
    }

    /// <summary>Whether the planes lie one after another exactly as the layout packs them (FromPacked, a ring slot).</summary>
    private bool IsPacked(in PlanarFrame frame)
    {
        ref var first = ref MemoryMarshal.GetReference(frame.Plane0);
        for (var p = 0; p < _layout.PlaneCount; p++)
        {
            var plane = frame.Plane(p);
            if (frame.Stride(p) != _layout.Stride(p) || plane.Length < _layout.PlaneSize(p)
                || System.Runtime.CompilerServices.Unsafe.ByteOffset(ref first, ref MemoryMarshal.GetReference(plane)) != _layout.Offset(p))
            {
                return false;
            }
        }
        return true;
    }

    private unsafe double SmallPlane(in PlanarFrame reference, in PlanarFrame distorted, int plane, int max)
    {
        var bytes = _layout.Format.BytesPerSample();
        fixed (byte* a = reference.Plane(plane))
        fixed (byte* b = distorted.Plane(plane))
        {
            var w = _layout.PlaneWidth(plane);
            var h = _layout.PlaneHeight(plane);
            return bytes == 1
                ? SsimMetric.WholePlane<Samples8>(a, reference.Stride(plane), b, distorted.Stride(plane), w, h, max)
                : SsimMetric.WholePlane<Samples16>(a, reference.Stride(plane) / 2, b, distorted.Stride(plane) / 2, w, h, max);
        }
    }

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
        _sums.Dispose();
        _results.Dispose();
    }
}
