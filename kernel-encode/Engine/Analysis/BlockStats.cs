namespace Aqs.Engine.Analysis;

/// <summary>
/// Integer sums per 8x8 block of a luma plane, in sample units: the one heavy pass over the picture, done by the
/// CPU (<see cref="BlockStatsCpu"/>) or a GPU (<see cref="Gpu.GpuBlockStats"/>) with identical results; every
/// content measure is derived from these on the CPU.
/// </summary>
public sealed class BlockStats
{
    public BlockStats(BlockGrid grid)
    {
        Grid = grid;
        Sum = new int[grid.Count];
        SumSquares = new int[grid.Count];
    }

    public BlockGrid Grid { get; }
    /// <summary>Sum of the 64 samples of each block, row-major over blocks.</summary>
    public int[] Sum { get; }
    /// <summary>Sum of the squares of the 64 samples (fits 32 bits up to 12-bit samples).</summary>
    public int[] SumSquares { get; }
}
