namespace Aqs.Shared.Frames;

/// <summary>
/// Where the planes of a tightly packed planar frame lie in one buffer: plane p starts at
/// <see cref="Offset"/>(p), has <see cref="Stride"/>(p) bytes a row and <see cref="PlaneHeight"/>(p) rows.
/// Chroma sizes round up (odd sizes keep their last column/row), as FFmpeg's AV_CEIL_RSHIFT does.
/// </summary>
public readonly record struct FrameLayout
{
    public int Width { get; }
    public int Height { get; }
    public PixelFormat Format { get; }

    public FrameLayout(int width, int height, PixelFormat format)
    {
        if (width <= 0 || height <= 0 || width > 16384 || height > 16384)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"frame size must be 1..16384 in each direction: width={width} height={height}");
        }
        _ = format.BitDepth(); // validates the format
        Width = width;
        Height = height;
        Format = format;
    }

    public int PlaneCount => Format.PlaneCount();

    public int PlaneWidth(int plane) => plane == 0 ? Width : CeilShift(Width, Format.ChromaShiftX());

    public int PlaneHeight(int plane) => plane == 0 ? Height : CeilShift(Height, Format.ChromaShiftY());

    public int Stride(int plane) => PlaneWidth(plane) * Format.BytesPerSample();

    public int PlaneSize(int plane) => Stride(plane) * PlaneHeight(plane);

    public int Offset(int plane)
    {
        var offset = 0;
        for (var p = 0; p < plane; p++)
        {
            offset += PlaneSize(p);
        }
        return offset;
    }

    /// <summary>Bytes of the whole frame, all planes packed.</summary>
    public int FrameSize => Offset(PlaneCount);

    private static int CeilShift(int value, int shift) => -((-value) >> shift);

    public override string ToString() => $"{Width}x{Height} {Format.FfmpegName()}";
}
