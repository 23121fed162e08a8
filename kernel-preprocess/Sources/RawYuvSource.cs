using Aqs.Shared.Frames;

namespace Aqs.Kernel.Preprocess.Sources;

/// <summary>
/// Headerless planar YUV (what <c>ffmpeg -f rawvideo</c> writes): frames of exactly <see cref="FrameLayout.FrameSize"/>
/// bytes back to back, so frame N starts at N * FrameSize. Size, rate and pixel format come from the user
/// (<c>--size WxH --fps N[/D] --pix-fmt NAME</c>) because the file cannot say them.
/// </summary>
public sealed class RawYuvSource : IRewindableSource
{
    private readonly SourceFile _file;
    private readonly int _frameSize;
    private long _frame;

    public FrameLayout Layout { get; }
    public FrameRate Rate { get; }
    public double Fps => Rate.Fps;
    public ColorDescription Color { get; }

    private RawYuvSource(SourceFile file, FrameLayout layout, FrameRate rate, ColorDescription color)
    {
        _file = file;
        Layout = layout;
        Rate = rate;
        Color = color;
        _frameSize = layout.FrameSize;
    }

    public static RawYuvSource Open(string path, FrameLayout layout, FrameRate rate, ColorDescription? color = null)
    {
        var file = SourceFile.Open(path);
        return new RawYuvSource(file, layout, rate, color ?? ColorDescription.Unknown);
    }

    /// <summary>Opens with the user's text options: <paramref name="size"/> "WxH", <paramref name="fps"/> "N[/D]", <paramref name="pixFmt"/> an FFmpeg name.</summary>
    public static RawYuvSource Open(string path, string? size, string? fps, string? pixFmt, ColorDescription? color = null)
    {
        var layout = ParseLayout(path, size, pixFmt);
        if (!FrameRate.TryParse(fps, out var rate))
        {
            throw new SourceException($"{path}: raw YUV input needs --fps N or N/D (1..1000 fps), got '{fps ?? ""}'");
        }
        return Open(path, layout, rate, color);
    }

    internal static FrameLayout ParseLayout(string path, string? size, string? pixFmt)
    {
        if (!TryParseSize(size, out var w, out var h))
        {
            throw new SourceException($"{path}: raw YUV input needs --size WxH (1..16384 each), got '{size ?? ""}'");
        }
        if (pixFmt is null || !PixelFormats.TryParseFfmpegName(pixFmt, out var format))
        {
            throw new SourceException($"{path}: raw YUV input needs --pix-fmt, one of {string.Join(", ", PixelFormats.All.Select(f => f.FfmpegName()))}; got '{pixFmt ?? ""}'");
        }
        return new FrameLayout(w, h, format);
    }

    /// <summary>Parses "WxH" with each side 1..16384.</summary>
    public static bool TryParseSize(string? text, out int width, out int height)
    {
        width = height = 0;
        if (text is null)
        {
            return false;
        }
        var x = text.IndexOfAny(['x', 'X']);
        return x > 0
            && int.TryParse(text.AsSpan(0, x), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out width)
            && int.TryParse(text.AsSpan(x + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out height)
            && width is >= 1 and <= 16384 && height is >= 1 and <= 16384;
    }

    public bool TryReadFrame(Span<byte> destination, out SourceFrameInfo info)
    {
        if (destination.Length < _frameSize)
        {
            throw new ArgumentException($"destination of {destination.Length} bytes is smaller than a {Layout} frame ({_frameSize} bytes)", nameof(destination));
        }
        info = default;
        var offset = _frame * _frameSize;
        var got = _file.ReadFully(destination[.._frameSize], offset);
        if (got == 0)
        {
            return false;
        }
        if (got < _frameSize)
        {
            throw Truncated(offset, got);
        }
        info = new SourceFrameInfo(_frame, Rate.PtsNs(_frame), false, _frame == 0);
        _frame++;
        return true;
    }

    public bool TrySkipFrame()
    {
        var offset = _frame * _frameSize;
        var left = _file.Length - offset;
        if (left <= 0)
        {
            return false;
        }
        if (left < _frameSize)
        {
            throw Truncated(offset, (int)left);
        }
        _frame++;
        return true;
    }

    public void Rewind() => _frame = 0;

    private SourceException Truncated(long offset, int got) =>
        SourceException.AtFrame(_file.Name, _frame, offset,
            $"truncated: a {Layout} frame is {_frameSize} bytes, only {got} left (are --size and --pix-fmt right?)");

    public void Dispose() => _file.Dispose();
}
