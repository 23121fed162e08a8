using ILGPU;
using ILGPU.Runtime;

namespace Aqs.Engine.Analysis.Gpu;

/// <summary>
/// Block sums on an ILGPU accelerator (CUDA when the host gives one): one upload of the luma plane, one kernel,
/// one read-back of two small integer arrays. Buffers are made for one geometry and remade when it changes.
/// Not thread-safe.
/// </summary>
public sealed class GpuBlockStats : IDisposable
{
    private readonly Accelerator _accelerator;
    private readonly Action<Index1D, ArrayView<byte>, ArrayView<int>, ArrayView<int>, BlockGeometry> _kernel;
    private MemoryBuffer1D<byte, Stride1D.Dense>? _samples;
    private MemoryBuffer1D<int, Stride1D.Dense>? _sum;
    private MemoryBuffer1D<int, Stride1D.Dense>? _squares;

    public GpuBlockStats(Accelerator accelerator)
    {
        _accelerator = accelerator;
        _kernel = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<byte>, ArrayView<int>, ArrayView<int>, BlockGeometry>(BlockStatsKernels.BlockSums);
    }

    public string Device => $"{_accelerator.AcceleratorType}: {_accelerator.Name}";

    public void Compute(in LumaPlane plane, BlockStats stats)
    {
        var grid = stats.Grid;
        if (grid != BlockGrid.For(plane.Width, plane.Height))
        {
            throw new ArgumentException($"block stats for {grid.BlocksX}x{grid.BlocksY} blocks cannot hold a {plane.Width}x{plane.Height} plane");
        }
        if (grid.Count == 0)
        {
            return;
        }
        // Only the rows that hold whole blocks travel.
        var bytes = (long)(grid.BlocksY * BlockGrid.Size - 1) * plane.StrideBytes + grid.BlocksX * BlockGrid.Size * plane.BytesPerSample;
        Ensure(ref _samples, bytes);
        Ensure(ref _sum, grid.Count);
        Ensure(ref _squares, grid.Count);
        ArrayView<byte> samples = _samples!.View;
        samples.SubView(0, bytes).CopyFromCPU(plane.Samples[..(int)bytes]);
        _kernel(grid.Count, samples, _sum!.View, _squares!.View, new BlockGeometry
        {
            StrideBytes = plane.StrideBytes,
            BlocksX = grid.BlocksX,
            BlockCount = grid.Count,
            BytesPerSample = plane.BytesPerSample,
        });
        ArrayView<int> sum = _sum.View;
        ArrayView<int> squares = _squares.View;
        sum.SubView(0, grid.Count).CopyToCPU(stats.Sum);
        squares.SubView(0, grid.Count).CopyToCPU(stats.SumSquares);
    }

    private void Ensure<T>(ref MemoryBuffer1D<T, Stride1D.Dense>? buffer, long length) where T : unmanaged
    {
        if (buffer is null || buffer.Length < length)
        {
            buffer?.Dispose();
            buffer = _accelerator.Allocate1D<T>(length);
        }
    }

    public void Dispose()
    {
        _samples?.Dispose();
        _sum?.Dispose();
        _squares?.Dispose();
    }
}
