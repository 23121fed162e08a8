using ILGPU;

namespace Aqs.Shared.Quality.Gpu;

/// <summary>Where one plane of each frame lies in the device buffers, and its shape.</summary>
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
}

/// <summary>
/// ILGPU kernels twinning the CPU SIMD paths (<see cref="PsnrKernels"/>, <see cref="SsimKernels"/>): the same integer
/// sums and the same per-window float formula; only the order of the final double additions may differ.
/// </summary>
internal static class QualityKernels
{
    private static int Sample(ArrayView<byte> data, int offset, int index, int bytesPerSample) =>
        bytesPerSample == 1
            ? data[offset + index]
            : data[offset + 2 * index] | (data[offset + 2 * index + 1] << 8);

    /// <summary>Sum of squared differences of one row.</summary>
    public static void SseRows(Index1D row, ArrayView<byte> a, ArrayView<byte> b, ArrayView<long> rowSse, PlaneGeometry g)
    {
        if (row >= g.Height)
        {
            return;
        }
        long sum = 0;
        for (var x = 0; x < g.Width; x++)
        {
            long d = Sample(a, g.OffsetA, row * g.StrideA + x, g.BytesPerSample) - Sample(b, g.OffsetB, row * g.StrideB + x, g.BytesPerSample);
            sum += d * d;
        }
        rowSse[row] = sum;
    }

    /// <summary>s1, s2, ss, s12 of one 4x4 block, stored structure-of-arrays: sums[k·blocks + y·BlocksX + x].</summary>
    public static void BlockSums(Index2D block, ArrayView<byte> a, ArrayView<byte> b, ArrayView<int> sums, PlaneGeometry g)
    {
        if (block.X >= g.BlocksX || block.Y >= g.BlocksY)
        {
            return;
        }
        int s1 = 0, s2 = 0, ss = 0, s12 = 0;
        for (var y = 0; y < 4; y++)
        {
            for (var x = 0; x < 4; x++)
            {
                var va = Sample(a, g.OffsetA, (block.Y * 4 + y) * g.StrideA + block.X * 4 + x, g.BytesPerSample);
                var vb = Sample(b, g.OffsetB, (block.Y * 4 + y) * g.StrideB + block.X * 4 + x, g.BytesPerSample);
                s1 += va;
                s2 += vb;
                ss += va * va + vb * vb;
                s12 += va * vb;
            }
        }
        var count = g.BlocksX * g.BlocksY;
        var i = block.Y * g.BlocksX + block.X;
        sums[i] = s1;
        sums[count + i] = s2;
        sums[2 * count + i] = ss;
        sums[3 * count + i] = s12;
    }

    /// <summary>Sum of the SSIM of one row of 8x8 windows (block rows wy and wy+1).</summary>
    public static void WindowRows(Index1D wy, ArrayView<int> sums, ArrayView<double> rowTotals, PlaneGeometry g)
    {
        if (wy >= g.BlocksY - 1)
        {
            return;
        }
        var count = g.BlocksX * g.BlocksY;
        var r0 = wy * g.BlocksX;
        var r1 = r0 + g.BlocksX;
        double total = 0;
        float totalFloat = 0;
        for (var i = 0; i < g.BlocksX - 1; i++)
        {
            long s1 = (long)sums[r0 + i] + sums[r0 + i + 1] + sums[r1 + i] + sums[r1 + i + 1];
            long s2 = (long)sums[count + r0 + i] + sums[count + r0 + i + 1] + sums[count + r1 + i] + sums[count + r1 + i + 1];
            long ss = (long)sums[2 * count + r0 + i] + sums[2 * count + r0 + i + 1] + sums[2 * count + r1 + i] + sums[2 * count + r1 + i + 1];
            long s12 = (long)sums[3 * count + r0 + i] + sums[3 * count + r0 + i + 1] + sums[3 * count + r1 + i] + sums[3 * count + r1 + i + 1];
            var vars = ss * 64 - s1 * s1 - s2 * s2;
            var covar = s12 * 64 - s1 * s2;
            var window = (float)(2 * s1 * s2 + g.C1) * (float)(2 * covar + g.C2)
                       / ((float)(s1 * s1 + s2 * s2 + g.C1) * (float)(vars + g.C2));
            total += window;
            totalFloat += window;
        }
        rowTotals[wy] = g.Deep != 0 ? totalFloat : total;
    }
}
