namespace Aqs.Kernel.Preprocess.Sources;

/// <summary>What the user said about an input besides its name (the kernel's and <c>aqs run</c>'s flags).</summary>
public sealed record SourceOpenOptions
{
    /// <summary>--size WxH: needed for raw YUV; overrides the synthetic size.</summary>
    public string? Size { get; init; }
    /// <summary>--fps N[/D]: needed for raw YUV; overrides the synthetic rate.</summary>
    public string? Fps { get; init; }
    /// <summary>--pix-fmt (FFmpeg name): needed for raw YUV; overrides the synthetic depth and chroma.</summary>
    public string? PixFmt { get; init; }
    /// <summary>--script for the synthetic source (text, or @FILE).</summary>
    public string? Script { get; init; }
    /// <summary>--seed for the synthetic source.</summary>
    public ulong? Seed { get; init; }
    /// <summary>--loop / --start-frame / --frames.</summary>
    public SourceOptions Playback { get; init; } = new();
    /// <summary>The kernel's stop: a live network source waiting for its sender gives up when it is cancelled.</summary>
    public CancellationToken Stopping { get; init; }
}

/// <summary>
/// Picks the source for an input string: <c>synthetic[:opts]</c> (see <see cref="SyntheticOptions"/>), <c>*.y4m</c>,
/// <c>*.yuv</c> / <c>*.raw</c> (needs size, fps and pixel format); anything else is a container, URL or capture
/// device and goes to <see cref="ContainerOpener"/>. Wraps the result in a <see cref="LoopingSource"/> when
/// looping, a start frame or a frame limit is asked for.
/// </summary>
public static class SourceFactory
{
    /// <summary>
    /// Opens inputs that are not synthetic/Y4M/raw (mp4, mkv, webm, ivf, ts, URLs, x11grab/v4l2). Set once at start-up
    /// by the kernel to the media layer (Aqs.Shared.Media.MediaFileReader); while null such inputs are refused.
    /// </summary>
    public static Func<string, SourceOpenOptions, IFrameSource>? ContainerOpener { get; set; }

    public static IFrameSource Open(string input, SourceOpenOptions o)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            throw new SourceException("no input given: use synthetic, a .y4m or .yuv file, or a media file");
        }
        o.Playback.Validate();
        var source = OpenBare(input, o);
        return o.Playback.IsDefault ? source : Wrap(source, o.Playback);
    }

    private static IFrameSource Wrap(IFrameSource source, SourceOptions playback)
    {
        try
        {
            return new LoopingSource(source, playback);
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    private static IFrameSource OpenBare(string input, SourceOpenOptions o)
    {
        if (input == "synthetic" || input.StartsWith("synthetic:", StringComparison.Ordinal))
        {
            return new SyntheticSource(SyntheticOptionsFor(input, o));
        }
        var ext = Path.GetExtension(input).ToLowerInvariant();
        if (ext == ".y4m" && !LooksLikeUrl(input))
        {
            return Y4mSource.Open(input);
        }
        if (ext is ".yuv" or ".raw" && !LooksLikeUrl(input))
        {
            return RawYuvSource.Open(input, o.Size, o.Fps, o.PixFmt);
        }
        if (ContainerOpener is { } opener)
        {
            return opener(input, o);
        }
        if (!LooksLikeUrl(input) && !File.Exists(input) && !input.Contains(':'))
        {
            throw new SourceException($"{input}: no such file");
        }
        throw new SourceException($"{input}: container input needs the media layer: {(ext.Length > 0 ? ext : "this input")} is read through libavformat, which is not wired into kernel-preprocess yet; use synthetic, a .y4m or a .yuv file (ffmpeg -i IN -pix_fmt yuv420p -strict -1 OUT.y4m)");
    }

    /// <summary>The synthetic options from the input string, then the generic flags on top.</summary>
    public static SyntheticOptions SyntheticOptionsFor(string input, SourceOpenOptions o)
    {
        var s = SyntheticOptions.Parse(input);
        if (o.Size is not null)
        {
            s = RawYuvSource.TryParseSize(o.Size, out var w, out var h) ? s with { Width = w, Height = h }
                : throw new SourceException($"synthetic source: bad --size '{o.Size}': expected WxH");
        }
        if (o.Fps is not null)
        {
            s = FrameRate.TryParse(o.Fps, out var r) ? s with { Fps = r.Fps }
                : throw new SourceException($"synthetic source: bad --fps '{o.Fps}': expected N or N/D");
        }
        if (o.PixFmt is not null)
        {
            if (!Aqs.Shared.Frames.PixelFormats.TryParseFfmpegName(o.PixFmt, out var f) || f == Aqs.Shared.Frames.PixelFormat.Gray8)
            {
                throw new SourceException($"synthetic source: bad --pix-fmt '{o.PixFmt}': expected yuv420p, yuv422p, yuv444p or their 10/12-bit le forms");
            }
            s = s with { BitDepth = Aqs.Shared.Frames.PixelFormats.BitDepth(f), Chroma = Aqs.Shared.Frames.PixelFormats.Chroma(f) };
        }
        if (o.Script is not null)
        {
            s = s with { Script = SyntheticScript.Parse(o.Script) };
        }
        if (o.Seed is { } seed)
        {
            s = s with { Seed = seed };
        }
        return s;
    }

    private static bool LooksLikeUrl(string input) => input.Contains("://", StringComparison.Ordinal);
}
