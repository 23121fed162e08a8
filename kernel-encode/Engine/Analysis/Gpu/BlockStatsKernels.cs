using ILGPU;

namespace Aqs.Engine.Analysis.Gpu;

/// <summary>Where the luma plane lies in the device buffer and how its blocks are laid out.</summary>
internal struct BlockGeometry
{
    public int StrideBytes;
    public int BlocksX;
    public int BlockCount;
    public int BytesPerSample;
}

/// <summary>
/// The ILGPU twin of <see cref="BlockStatsCpu"/>: one thread per 8x8 block sums its samples and their squares in
/// integers, so the results equal the CPU's bit for bit.
/// </summary>
internal static class BlockStatsKernels
{
    public static void BlockSums(Index1D block, ArrayView<byte> samples, ArrayView<int> sum, ArrayView<int> squares, BlockGeometry g)
    {
        if (block >= g.BlockCount)
        {
            return;
        }
        int index = block;
        var by = index / g.BlocksX;
        var bx = index - by * g.BlocksX;
        long start = (long)by * BlockGrid.Size * g.StrideBytes + (long)bx * BlockGrid.Size * g.BytesPerSample;
        var s = 0;
        var sq = 0;
        for (var r = 0; r < BlockGrid.Size; r++)
        {
            var p = start + (long)r * g.StrideBytes;
            for (var x = 0; x < BlockGrid.Size; x++)
            {
                int v = g.BytesPerSample == 1
                    ? samples[p + x]
                    : samples[p + 2 * x] | (samples[p + 2 * x + 1] << 8);
                s += v;
                sq += v * v;
            }
        }
        sum[block] = s;
        squares[block] = sq;
    }
}
