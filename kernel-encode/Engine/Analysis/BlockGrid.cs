namespace Aqs.Engine.Analysis;

/// <summary>
/// The 8x8 blocks the analysis measures: whole blocks only, from the top-left corner (a ragged right or bottom
/// edge of fewer than 8 samples is left out; it cannot change a frame's character).
/// </summary>
public readonly record struct BlockGrid(int BlocksX, int BlocksY)
{
    public const int Size = 8;
    public const int Samples = Size * Size;

    public int Count => BlocksX * BlocksY;

    public static BlockGrid For(int width, int height) => new(width / Size, height / Size);
}
