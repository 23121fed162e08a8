namespace Aqs.Shared.Frames;

/// <summary>The planar YUV layouts the pipeline carries. Samples above 8 bit live in 16-bit little-endian words, low bits used.</summary>
public enum PixelFormat : byte
{
    /// <summary>Not set; a slot or frame with this format is refused.</summary>
    None = 0,
    /// <summary>4:2:0, 8 bit.</summary>
    Yuv420p = 1,
    /// <summary>4:2:2, 8 bit.</summary>
    Yuv422p = 2,
    /// <summary>4:4:4, 8 bit.</summary>
    Yuv444p = 3,
    /// <summary>4:2:0, 10 bit.</summary>
    Yuv420p10 = 4,
    /// <summary>4:2:2, 10 bit.</summary>
    Yuv422p10 = 5,
    /// <summary>4:4:4, 10 bit.</summary>
    Yuv444p10 = 6,
    /// <summary>4:2:0, 12 bit.</summary>
    Yuv420p12 = 7,
    /// <summary>4:2:2, 12 bit.</summary>
    Yuv422p12 = 8,
    /// <summary>4:4:4, 12 bit.</summary>
    Yuv444p12 = 9,
    /// <summary>Luma only, 8 bit (Y4M "mono").</summary>
    Gray8 = 10,
}

/// <summary>Geometry facts of each <see cref="PixelFormat"/>.</summary>
public static class PixelFormats
{
    public static readonly PixelFormat[] All =
    [
        PixelFormat.Yuv420p, PixelFormat.Yuv422p, PixelFormat.Yuv444p,
        PixelFormat.Yuv420p10, PixelFormat.Yuv422p10, PixelFormat.Yuv444p10,
        PixelFormat.Yuv420p12, PixelFormat.Yuv422p12, PixelFormat.Yuv444p12,
        PixelFormat.Gray8,
    ];

    public static int BitDepth(this PixelFormat format) => format switch
    {
        PixelFormat.Yuv420p or PixelFormat.Yuv422p or PixelFormat.Yuv444p or PixelFormat.Gray8 => 8,
        PixelFormat.Yuv420p10 or PixelFormat.Yuv422p10 or PixelFormat.Yuv444p10 => 10,
        PixelFormat.Yuv420p12 or PixelFormat.Yuv422p12 or PixelFormat.Yuv444p12 => 12,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown pixel format"),
    };

    public static int BytesPerSample(this PixelFormat format) => format.BitDepth() > 8 ? 2 : 1;

    public static int PlaneCount(this PixelFormat format) => format == PixelFormat.Gray8 ? 1 : 3;

    /// <summary>log2 of the horizontal chroma subsampling (1 for 4:2:0 and 4:2:2).</summary>
    public static int ChromaShiftX(this PixelFormat format) => format.Chroma() switch
    {
        ChromaSubsampling.Cs420 or ChromaSubsampling.Cs422 => 1,
        _ => 0,
    };

    /// <summary>log2 of the vertical chroma subsampling (1 for 4:2:0 only).</summary>
    public static int ChromaShiftY(this PixelFormat format) => format.Chroma() == ChromaSubsampling.Cs420 ? 1 : 0;

    public static ChromaSubsampling Chroma(this PixelFormat format) => format switch
    {
        PixelFormat.Yuv420p or PixelFormat.Yuv420p10 or PixelFormat.Yuv420p12 => ChromaSubsampling.Cs420,
        PixelFormat.Yuv422p or PixelFormat.Yuv422p10 or PixelFormat.Yuv422p12 => ChromaSubsampling.Cs422,
        PixelFormat.Yuv444p or PixelFormat.Yuv444p10 or PixelFormat.Yuv444p12 => ChromaSubsampling.Cs444,
        PixelFormat.Gray8 => ChromaSubsampling.Mono,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown pixel format"),
    };

    /// <summary>The format with the given subsampling and bit depth; throws for combinations we do not carry.</summary>
    public static PixelFormat From(ChromaSubsampling chroma, int bitDepth) => (chroma, bitDepth) switch
    {
        (ChromaSubsampling.Cs420, 8) => PixelFormat.Yuv420p,
        (ChromaSubsampling.Cs422, 8) => PixelFormat.Yuv422p,
        (ChromaSubsampling.Cs444, 8) => PixelFormat.Yuv444p,
        (ChromaSubsampling.Cs420, 10) => PixelFormat.Yuv420p10,
        (ChromaSubsampling.Cs422, 10) => PixelFormat.Yuv422p10,
        (ChromaSubsampling.Cs444, 10) => PixelFormat.Yuv444p10,
        (ChromaSubsampling.Cs420, 12) => PixelFormat.Yuv420p12,
        (ChromaSubsampling.Cs422, 12) => PixelFormat.Yuv422p12,
        (ChromaSubsampling.Cs444, 12) => PixelFormat.Yuv444p12,
        (ChromaSubsampling.Mono, 8) => PixelFormat.Gray8,
        _ => throw new ArgumentException($"no pixel format for chroma={chroma} bitDepth={bitDepth}; supported: {string.Join(", ", All)}"),
    };

    /// <summary>FFmpeg's name for the format (as <c>-pix_fmt</c> takes it).</summary>
    public static string FfmpegName(this PixelFormat format) => format switch
    {
        PixelFormat.Yuv420p => "yuv420p",
        PixelFormat.Yuv422p => "yuv422p",
        PixelFormat.Yuv444p => "yuv444p",
        PixelFormat.Yuv420p10 => "yuv420p10le",
        PixelFormat.Yuv422p10 => "yuv422p10le",
        PixelFormat.Yuv444p10 => "yuv444p10le",
        PixelFormat.Yuv420p12 => "yuv420p12le",
        PixelFormat.Yuv422p12 => "yuv422p12le",
        PixelFormat.Yuv444p12 => "yuv444p12le",
        PixelFormat.Gray8 => "gray",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown pixel format"),
    };

    public static bool TryParseFfmpegName(string name, out PixelFormat format)
    {
        foreach (var f in All)
        {
            if (string.Equals(f.FfmpegName(), name, StringComparison.OrdinalIgnoreCase))
            {
                format = f;
                return true;
            }
        }
        format = PixelFormat.None;
        return false;
    }
}

/// <summary>Chroma subsampling of a planar YUV format.</summary>
public enum ChromaSubsampling : byte
{
    /// <summary>Chroma halved in both directions.</summary>
    Cs420,
    /// <summary>Chroma halved horizontally.</summary>
    Cs422,
    /// <summary>Full-resolution chroma.</summary>
    Cs444,
    /// <summary>No chroma planes.</summary>
    Mono,
}
