using ILGPU;

namespace Aqs.Shared.Quality.Gpu;

/// <summary>Where one plane of each frame lies in the device buffers, its shape, and where its results go.</summary>
internal struct PlaneGeometry
{
    public int Width;
    public int Height;
    /// <summary>Byte offset of the plane in the reference / distorted buffer.</summary>
    public int OffsetA;
    public int OffsetB;
    /// <summary>Row strides in samples.</summary>
    public int StrideA;
    public int StrideB;
    public int BytesPerSample;
    public int BlocksX;
    public int BlocksY;
    /// <summary>1 for depths above 8 bit: rows of windows are summed in float, as FFmpeg's 16-bit C path does.</summary>
    public int Deep;
    public long C1;
    public long C2;
    /// <summary>Slot of this plane's sum of squared differences in the results buffer.</summary>
    public int SseSlot;
    /// <summary>First slot of this plane's per-window-row SSIM totals (double bits) in the results buffer.</summary>
    public int RowSlot;
    /// <summary>This plane's first index in the frame-wide grids: of rows, of 4x4 blocks, of window rows.</summary>
    public int RowStart;
    public int BlockStart;
    public int WindowRowStart;
}

/// <summary>
/// The planes of one frame, so each kernel runs once a frame over all planes (fewer launches). A plane's part of
/// each frame-wide grid starts at its *Start; planes past PlaneCount start at the grid's end and are never picked.
/// </summary>
internal struct FrameGeometry
{
    public PlaneGeometry P0;
    public PlaneGeometry P1;
    public PlaneGeometry P2;

    public PlaneGeometry this[int plane]
    {
        readonly get => plane == 0 ? P0 : plane == 1 ? P1 : P2;
        set
        {
            if (plane == 0)
            {
                P0 = value;
            }
            else if (plane == 1)
            {
                P1 = value;
            }
            else
            {
                P2 = value;
            }
        }
    }
}

/// <summary>
/// ILGPU kernels twinning the CPU SIMD paths (<see cref="PsnrKernels"/>, <see cref="SsimKernels"/>): the same integer
/// sums and the same per-window float formula. Work is spread over one thread per 4x4 block and one group per row
/// (of samples, of windows), so a 1080p plane keeps hundreds of thousands of threads busy. Orders of addition:
/// integer sums in any order (exact); 8-bit window rows by a fixed tree in double (within 1e-12 of any order);
/// deeper window rows left to right in float, as the CPU path and FFmpeg do, because float sums depend on order.
/// </summary>
internal static class QualityKernels
{
    /// <summary>Largest group the row kernels use; their shared arrays are this long.</summary>
    public const int MaxGroup = 128;

    private static PlaneGeometry PlaneOfRow(FrameGeometry f, int index) =>
        index >= f.P2.RowStart ? f.P2 : index >= f.P1.RowStart ? f.P1 : f.P0;

    private static PlaneGeometry PlaneOfBlock(FrameGeometry f, int index) =>
        index >= f.P2.BlockStart ? f.P2 : index >= f.P1.BlockStart ? f.P1 : f.P0;

    private static PlaneGeometry PlaneOfWindowRow(FrameGeometry f, int index) =>
        index >= f.P2.WindowRowStart ? f.P2 : index >= f.P1.WindowRowStart ? f.P1 : f.P0;

    private static int Sample(ArrayView<byte> data, int offset, int index, int bytesPerSample) =>
        bytesPerSample == 1
            ? data[offset + index]
            : data[offset + 2 * index] | (data[offset + 2 * index + 1] << 8);

    /// <summary>
    /// One group per row: threads take columns tid, tid+G, … (adjacent threads read adjacent samples), a shared
    /// tree adds the group's partial sums, and thread 0 adds the row to the plane's total atomically (integers:
    /// exact in any order). The total slot must be zero before the launch.
    /// </summary>
    public static void SseRows(ArrayView<byte> a, ArrayView<byte> b, ArrayView<long> results, FrameGeometry f)
    {
        var partial = SharedMemory.Allocate<long>(MaxGroup);
        var g = PlaneOfRow(f, Grid.IdxX);
        var row = Grid.IdxX - g.RowStart;
        var tid = Group.IdxX;
        var size = Group.DimX;
        long sum = 0;
        for (var x = tid; x < g.Width; x += size)
        {
            long d = Sample(a, g.OffsetA, row * g.StrideA + x, g.BytesPerSample) - Sample(b, g.OffsetB, row * g.StrideB + x, g.BytesPerSample);
            sum += d * d;
        }
        partial[tid] = sum;
        Group.Barrier();
        for (var half = size / 2; half > 0; half /= 2)
        {
            if (tid < half)
            {
                partial[tid] += partial[tid + half];
            }
            Group.Barrier();
        }
        if (tid == 0)
        {
            Atomic.Add(ref results[g.SseSlot], partial[0]);
        }
    }

    /// <summary>
    /// s1, s2, ss, s12 of one 4x4 block (one thread each, all planes in one grid), stored structure-of-arrays per
    /// plane: sums[4·BlockStart + k·blocks + y·BlocksX + x].
    /// </summary>
    public static void BlockSums(Index1D index, ArrayView<byte> a, ArrayView<byte> b, ArrayView<int> sums, FrameGeometry f)
    {
        var g = PlaneOfBlock(f, index);
        var local = index - g.BlockStart;
        var blockY = local / g.BlocksX;
        var blockX = local - blockY * g.BlocksX;
        int s1 = 0, s2 = 0, ss = 0, s12 = 0;
        for (var y = 0; y < 4; y++)
        {
            for (var x = 0; x < 4; x++)
            {
                var va = Sample(a, g.OffsetA, (blockY * 4 + y) * g.StrideA + blockX * 4 + x, g.BytesPerSample);
                var vb = Sample(b, g.OffsetB, (blockY * 4 + y) * g.StrideB + blockX * 4 + x, g.BytesPerSample);
                s1 += va;
                s2 += vb;
                ss += va * va + vb * vb;
                s12 += va * vb;
            }
        }
        var count = g.BlocksX * g.BlocksY;
        var i = 4 * g.BlockStart + local;
        sums[i] = s1;
        sums[count + i] = s2;
        sums[2 * count + i] = ss;
        sums[3 * count + i] = s12;
    }

    /// <summary>
    /// One group per row of 8x8 windows (block rows wy and wy+1): in chunks of G windows, each thread computes one
    /// window into shared memory; the chunk is then summed, 8 bit by a tree in double, deeper left to right in
    /// float by thread 0 (the CPU's order). Thread 0 stores the row total as double bits at RowSlot + wy.
    /// </summary>
    public static void WindowRows(ArrayView<int> sums, ArrayView<long> results, FrameGeometry f)
    {
        var windows = SharedMemory.Allocate<double>(MaxGroup);
        var g = PlaneOfWindowRow(f, Grid.IdxX);
        var wy = Grid.IdxX - g.WindowRowStart;
        var tid = Group.IdxX;
        var size = Group.DimX;
        var count = g.BlocksX * g.BlocksY;
        var r0 = 4 * g.BlockStart + wy * g.BlocksX;
        var r1 = r0 + g.BlocksX;
        var n = g.BlocksX - 1;
        double total = 0;
        float totalFloat = 0;
        for (var chunk = 0; chunk < n; chunk += size)
        {
            var i = chunk + tid;
            double window = 0;
            if (i < n)
            {
                long s1 = (long)sums[r0 + i] + sums[r0 + i + 1] + sums[r1 + i] + sums[r1 + i + 1];
                long s2 = (long)sums[count + r0 + i] + sums[count + r0 + i + 1] + sums[count + r1 + i] + sums[count + r1 + i + 1];
                long ss = (long)sums[2 * count + r0 + i] + sums[2 * count + r0 + i + 1] + sums[2 * count + r1 + i] + sums[2 * count + r1 + i + 1];
                long s12 = (long)sums[3 * count + r0 + i] + sums[3 * count + r0 + i + 1] + sums[3 * count + r1 + i] + sums[3 * count + r1 + i + 1];
                var vars = ss * 64 - s1 * s1 - s2 * s2;
                var covar = s12 * 64 - s1 * s2;
                // The float rounding of each factor is FFmpeg's ssim_end1; the double store is exact.
                window = (float)(2 * s1 * s2 + g.C1) * (float)(2 * covar + g.C2)
                       / ((float)(s1 * s1 + s2 * s2 + g.C1) * (float)(vars + g.C2));
            }
            windows[tid] = window;
            Group.Barrier();
            if (g.Deep != 0)
            {
                if (tid == 0)
                {
                    var end = n - chunk < size ? n - chunk : size;
                    for (var k = 0; k < end; k++)
                    {
                        totalFloat += (float)windows[k];
                    }
                }
            }
            else
            {
                for (var half = size / 2; half > 0; half /= 2)
                {
                    if (tid < half)
                    {
                        windows[tid] += windows[tid + half];
                    }
                    Group.Barrier();
                }
                total += windows[0];
            }
            // Nobody overwrites the chunk before thread 0 has read it.
            Group.Barrier();
        }
        if (tid == 0)
        {
            results[g.RowSlot + wy] = (long)ILGPU.Interop.FloatAsInt(g.Deep != 0 ? totalFloat : total);
        }
    }
}
