using Aqs.Shared.Frames;
using Aqs.Shared.Gpu;
using ILGPU;
using ILGPU.Runtime;

namespace Aqs.Shared.Quality.Gpu;

/// <summary>
/// SSIM and PSNR of a frame pair on an ILGPU accelerator (CUDA when present), from one upload of both frames.
/// Results equal the CPU path's (<see cref="SsimMetric"/>, <see cref="PsnrMetric"/>) within 1e-5 relative; PSNR
/// sums are exact. Device buffers are allocated once; planes too small for an 8x8 window are scored on the
/// CPU, as <see cref="SsimMetric"/> does. Not thread-safe.
/// </summary>
public sealed class GpuQualityMetric : IDisposable
{
    private readonly GpuContext _gpu;
    private readonly FrameLayout _layout;
    private readonly PsnrMetric _psnr;
    private readonly SsimMetric _ssim;
    private readonly MemoryBuffer1D<byte, Stride1D.Dense> _a;
    private readonly MemoryBuffer1D<byte, Stride1D.Dense> _b;
    private readonly MemoryBuffer1D<long, Stride1D.Dense> _rowSse;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> _sums;
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _rowSsim;
    private readonly long[] _rowSseHost;
    private readonly double[] _rowSsimHost;
    private readonly Action<Index1D, ArrayView<byte>, ArrayView<byte>, ArrayView<long>, PlaneGeometry> _sseRows;
    private readonly Action<Index2D, ArrayView<byte>, ArrayView<byte>, ArrayView<int>, PlaneGeometry> _blockSums;
    private readonly Action<Index1D, ArrayView<int>, ArrayView<double>, PlaneGeometry> _windowRows;

    public GpuQualityMetric(GpuContext gpu, FrameLayout layout)
    {
        _gpu = gpu;
        _layout = layout;
        _psnr = new PsnrMetric(layout);
        _ssim = new SsimMetric(layout);
        var accelerator = gpu.Accelerator;
        _a = accelerator.Allocate1D<byte>(layout.FrameSize);
        _b = accelerator.Allocate1D<byte>(layout.FrameSize);
        _rowSse = accelerator.Allocate1D<long>(layout.Height);
        _rowSseHost = new long[layout.Height];
        var blocks = Math.Max(1, (layout.Width >> 2) * (layout.Height >> 2));
        _sums = accelerator.Allocate1D<int>(4 * blocks);
        _rowSsim = accelerator.Allocate1D<double>(Math.Max(1, layout.Height >> 2));
        _rowSsimHost = new double[Math.Max(1, layout.Height >> 2)];
        _sseRows = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<byte>, ArrayView<byte>, ArrayView<long>, PlaneGeometry>(QualityKernels.SseRows);
        _blockSums = accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView<byte>, ArrayView<byte>, ArrayView<int>, PlaneGeometry>(QualityKernels.BlockSums);
        _windowRows = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView<double>, PlaneGeometry>(QualityKernels.WindowRows);
    }

    public FrameLayout Layout => _layout;

    public string Device => _gpu.Description;

    public void Compute(in PlanarFrame reference, in PlanarFrame distorted, out SsimResult ssim, out PsnrResult psnr)
    {
        FrameChecks.RequireMatching(_layout, reference, distorted, "gpu quality");
        Span<ulong> sse = stackalloc ulong[3];
        Span<double> planes = stackalloc double[3] { 1.0, 1.0, 1.0 };
        var bytes = _layout.Format.BytesPerSample();
        var max = (1 << _layout.Format.BitDepth()) - 1;
        var (c1, c2) = SsimKernels.Constants(max);
        for (var p = 0; p < _layout.PlaneCount; p++)
        {
            // Planes go to the packed offsets of the layout; a strided source keeps its stride there only if it fits.
            var g = Upload(reference, distorted, p, bytes);
            g.C1 = c1;
            g.C2 = c2;
            g.Deep = bytes > 1 ? 1 : 0;
            _sseRows(g.Height, _a.View, _b.View, _rowSse.View, g);
            if (g.BlocksX >= 2 && g.BlocksY >= 2)
            {
                _blockSums(new Index2D(g.BlocksX, g.BlocksY), _a.View, _b.View, _sums.View, g);
                _windowRows(g.BlocksY - 1, _sums.View, _rowSsim.View, g);
            }
            _gpu.Accelerator.Synchronize();
            ((ArrayView<long>)_rowSse.View).SubView(0, g.Height).CopyToCPU(_rowSseHost.AsSpan(0, g.Height));
            ulong total = 0;
            for (var y = 0; y < g.Height; y++)
            {
                total += (ulong)_rowSseHost[y];
            }
            sse[p] = total;
            if (g.BlocksX >= 2 && g.BlocksY >= 2)
            {
                ((ArrayView<double>)_rowSsim.View).SubView(0, g.BlocksY - 1).CopyToCPU(_rowSsimHost.AsSpan(0, g.BlocksY - 1));
                var sum = 0.0;
                for (var y = 0; y < g.BlocksY - 1; y++)
                {
                    sum += _rowSsimHost[y];
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

    private PlaneGeometry Upload(in PlanarFrame reference, in PlanarFrame distorted, int plane, int bytes)
    {
        var width = _layout.PlaneWidth(plane);
        var height = _layout.PlaneHeight(plane);
        var offset = _layout.Offset(plane);
        var size = _layout.PlaneSize(plane);
        var strideA = CopyPlane(reference, plane, _a, offset, size);
        var strideB = CopyPlane(distorted, plane, _b, offset, size);
        return new PlaneGeometry
        {
            Width = width,
            Height = height,
            OffsetA = offset,
            OffsetB = offset,
            StrideA = strideA / bytes,
            StrideB = strideB / bytes,
            BytesPerSample = bytes,
            BlocksX = width >> 2,
            BlocksY = height >> 2,
        };
    }

    /// <summary>Copies a plane packed (one row after another) into the device buffer; returns the stride used there.</summary>
    private int CopyPlane(in PlanarFrame frame, int plane, MemoryBuffer1D<byte, Stride1D.Dense> buffer, int offset, int size)
    {
        var rowBytes = _layout.Stride(plane);
        var source = frame.Plane(plane);
        var stride = frame.Stride(plane);
        if (stride == rowBytes)
        {
            ((ArrayView<byte>)buffer.View).SubView(offset, size).CopyFromCPU(source[..size]);
            return rowBytes;
        }
        for (var y = 0; y < _layout.PlaneHeight(plane); y++)
        {
            ((ArrayView<byte>)buffer.View).SubView(offset + y * rowBytes, rowBytes).CopyFromCPU(source.Slice(y * stride, rowBytes));
        }
        return rowBytes;
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
        _rowSse.Dispose();
        _sums.Dispose();
        _rowSsim.Dispose();
    }
}
