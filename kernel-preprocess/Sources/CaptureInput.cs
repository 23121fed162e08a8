namespace Aqs.Kernel.Preprocess.Sources;

/// <summary>
/// A live capture input named <c>DEVICE:WHERE</c>: <c>x11grab:DISPLAY</c> (screen, the game-streaming case) or
/// <c>v4l2:/dev/videoN</c> (camera). libavdevice cannot probe these from a name, so the input format is forced.
/// </summary>
public sealed record CaptureInput(string FormatName, string Url, IReadOnlyDictionary<string, string> Options)
{
    /// <summary>The capture input <paramref name="input"/> names, or null when it names a file or URL.</summary>
    public static CaptureInput? TryParse(string input, SourceOpenOptions o)
    {
        string format;
        string where;
        if (input.StartsWith("x11grab:", StringComparison.Ordinal))
        {
            format = "x11grab";
            where = input["x11grab:".Length..];
            if (where.Length == 0)
            {
                where = Environment.GetEnvironmentVariable("DISPLAY") ?? "";
            }
            if (where.Length == 0)
            {
                throw new SourceException($"{input}: no X display given and DISPLAY is not set: use x11grab::0 (or x11grab::0.0+X,Y)");
            }
        }
        else if (input.StartsWith("v4l2:", StringComparison.Ordinal))
        {
            format = "v4l2";
            where = input["v4l2:".Length..];
            if (where.Length == 0)
            {
                where = "/dev/video0";
            }
            if (!File.Exists(where))
            {
                throw new SourceException($"{input}: no capture device {where} (no camera plugged in, or no permission to see it)");
            }
        }
        else
        {
            return null;
        }
        var options = new Dictionary<string, string>();
        if (o.Size is not null)
        {
            options["video_size"] = RawYuvSource.TryParseSize(o.Size, out var w, out var h)
                ? $"{w}x{h}"
                : throw new SourceException($"{input}: bad --size '{o.Size}': expected WxH");
        }
        if (o.Fps is not null)
        {
            options["framerate"] = FrameRate.TryParse(o.Fps, out var rate)
                ? $"{rate.Numerator}/{rate.Denominator}"
                : throw new SourceException($"{input}: bad --fps '{o.Fps}': expected N or N/D");
        }
        return new CaptureInput(format, where, options);
    }
}
