namespace Aqs.Engine.Analysis;

/// <summary>
/// The luma plane of a source frame as the analysis reads it, in place: 8-bit samples one byte each, deeper ones
/// as 16-bit little-endian words with the low <see cref="BitDepth"/> bits used.
/// </summary>
public readonly ref struct LumaPlane
{
    public LumaPlane(ReadOnlySpan<byte> samples, int width, int height, int strideBytes, int bitDepth)
    {
        if (width <= 0 || height <= 0 || bitDepth is < 8 or > 12)
        {
            throw new ArgumentException($"luma plane must have a size and an 8..12 bit depth: {width}x{height}, {bitDepth} bit");
        }
        var bytes = bitDepth > 8 ? 2 : 1;
        if (strideBytes < width * bytes || samples.Length < (long)strideBytes * (height - 1) + width * bytes)
        {
            throw new ArgumentException($"luma plane of {width}x{height} at stride {strideBytes} needs more than {samples.Length} bytes");
        }
        Samples = samples;
        Width = width;
        Height = height;
        StrideBytes = strideBytes;
        BitDepth = bitDepth;
    }

    public ReadOnlySpan<byte> Samples { get; }
    public int Width { get; }
    public int Height { get; }
    public int StrideBytes { get; }
    public int BitDepth { get; }
    public int BytesPerSample => BitDepth > 8 ? 2 : 1;
}
