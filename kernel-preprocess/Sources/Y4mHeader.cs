using System.Globalization;
using Aqs.Shared.Frames;

namespace Aqs.Kernel.Preprocess.Sources;

/// <summary>How a Y4M stream's fields are ordered (the <c>I</c> header tag).</summary>
public enum Y4mInterlace : byte
{
    /// <summary>No I tag, or <c>I?</c>.</summary>
    Unknown,
    /// <summary><c>Ip</c>: progressive.</summary>
    Progressive,
    /// <summary><c>It</c>: interlaced, top field first.</summary>
    TopFieldFirst,
    /// <summary><c>Ib</c>: interlaced, bottom field first.</summary>
    BottomFieldFirst,
    /// <summary><c>Im</c>: mixed; each FRAME line says which.</summary>
    Mixed,
}

/// <summary>Where 4:2:0 chroma samples sit relative to luma (the three 4:2:0 Y4M tags differ only in this).</summary>
public enum Y4mChromaSiting : byte
{
    /// <summary>Not 4:2:0, or not said.</summary>
    Unspecified,
    /// <summary><c>C420jpeg</c> / <c>C420</c>: centred between the luma samples (AVCHROMA_LOC_CENTER).</summary>
    Center,
    /// <summary><c>C420mpeg2</c>: co-sited horizontally, centred vertically (AVCHROMA_LOC_LEFT).</summary>
    Left,
    /// <summary><c>C420paldv</c>: PAL DV, co-sited with the top-left luma sample (AVCHROMA_LOC_TOPLEFT).</summary>
    TopLeft,
}

/// <summary>
/// The stream header of a YUV4MPEG2 file: <c>YUV4MPEG2 W.. H.. F.. I.. A.. C.. X..</c>, space-separated, ending in a newline.
/// Missing F gives 25:1 and missing C gives 4:2:0 8 bit, as FFmpeg does; unknown tags are kept in <see cref="Extensions"/>.
/// </summary>
public sealed record Y4mHeader(
    int Width,
    int Height,
    FrameRate Rate,
    int AspectNumerator,
    int AspectDenominator,
    Y4mInterlace Interlace,
    string ColorspaceTag,
    PixelFormat Format,
    Y4mChromaSiting ChromaSiting,
    int ColorRange,
    IReadOnlyList<string> Extensions)
{
    public const string Magic = "YUV4MPEG2";

    /// <summary>The longest header line we accept, newline included (real ones are under 100 bytes).</summary>
    public const int MaxLength = 4096;

    public FrameLayout Layout => new(Width, Height, Format);

    private static readonly string[] Supported =
        ["420jpeg", "420paldv", "420mpeg2", "420", "422", "444", "420p10", "422p10", "444p10", "420p12", "422p12", "444p12", "mono"];

    /// <summary>Parses the header line without its newline. <paramref name="input"/> names the file in errors; offsets count from the file start.</summary>
    public static Y4mHeader Parse(ReadOnlySpan<byte> line, string input)
    {
        if (!line.StartsWith("YUV4MPEG2"u8) || (line.Length > 9 && line[9] != (byte)' '))
        {
            throw SourceException.AtByte(input, 0, $"not a YUV4MPEG2 file: it starts with '{SourceException.Printable(line, 16)}'");
        }
        int width = 0, height = 0, aspectN = 0, aspectD = 0;
        var rate = new FrameRate(25, 1);
        var interlace = Y4mInterlace.Unknown;
        string? colorspace = null;
        string? yscss = null;
        var range = ColorDescription.RangeUnspecified;
        var extensions = new List<string>();
        var pos = 9;
        while (pos < line.Length)
        {
            if (line[pos] == (byte)' ')
            {
                pos++;
                continue;
            }
            var end = line[pos..].IndexOf((byte)' ');
            var tokenEnd = end < 0 ? line.Length : pos + end;
            var token = line[pos..tokenEnd];
            var value = token[1..];
            switch ((char)token[0])
            {
                case 'W':
                    width = ParseDimension(value, input, pos, "width W");
                    break;
                case 'H':
                    height = ParseDimension(value, input, pos, "height H");
                    break;
                case 'F':
                    var (fn, fd) = ParseRatio(value, input, pos, "frame rate F");
                    if (fn == 0 && fd == 0)
                    {
                        break; // "unknown": keep the default
                    }
                    if (!FrameRate.TryCreate(fn, fd, out rate))
                    {
                        throw SourceException.AtByte(input, pos, $"frame rate F{fn}:{fd} must be positive and at most 1000 fps");
                    }
                    break;
                case 'A':
                    (aspectN, aspectD) = ParseRatio(value, input, pos, "aspect A");
                    break;
                case 'I':
                    interlace = value.Length == 1 ? (char)value[0] switch
                    {
                        'p' => Y4mInterlace.Progressive,
                        't' => Y4mInterlace.TopFieldFirst,
                        'b' => Y4mInterlace.BottomFieldFirst,
                        'm' => Y4mInterlace.Mixed,
                        '?' => Y4mInterlace.Unknown,
                        _ => throw BadInterlace(input, pos, token),
                    } : throw BadInterlace(input, pos, token);
                    break;
                case 'C':
                    colorspace = Ascii(value, input, pos);
                    break;
                case 'X':
                    var ext = Ascii(value, input, pos);
                    extensions.Add(ext);
                    if (ext.StartsWith("COLORRANGE=", StringComparison.Ordinal))
                    {
                        range = ext[11..] switch
                        {
                            "FULL" => ColorDescription.RangeFull,
                            "LIMITED" => ColorDescription.RangeLimited,
                            _ => ColorDescription.RangeUnspecified,
                        };
                    }
                    else if (ext.StartsWith("YSCSS=", StringComparison.Ordinal))
                    {
                        yscss = ext[6..].ToLowerInvariant();
                    }
                    break;
                default:
                    // Tags we do not know are allowed by the format and ignored, as FFmpeg does.
                    break;
            }
            pos = tokenEnd;
        }
        if (width == 0)
        {
            throw SourceException.AtByte(input, 0, "YUV4MPEG2 header has no width (W tag)");
        }
        if (height == 0)
        {
            throw SourceException.AtByte(input, 0, "YUV4MPEG2 header has no height (H tag)");
        }
        var tag = colorspace ?? yscss ?? "420jpeg";
        var (format, siting) = MapColorspace(tag, input);
        return new Y4mHeader(width, height, rate, aspectN, aspectD, interlace, tag, format, siting, range, extensions);
    }

    private static (PixelFormat, Y4mChromaSiting) MapColorspace(string tag, string input) => tag switch
    {
        "420jpeg" or "420" => (PixelFormat.Yuv420p, Y4mChromaSiting.Center),
        "420mpeg2" => (PixelFormat.Yuv420p, Y4mChromaSiting.Left),
        "420paldv" => (PixelFormat.Yuv420p, Y4mChromaSiting.TopLeft),
        "422" => (PixelFormat.Yuv422p, Y4mChromaSiting.Unspecified),
        "444" => (PixelFormat.Yuv444p, Y4mChromaSiting.Unspecified),
        "420p10" => (PixelFormat.Yuv420p10, Y4mChromaSiting.Center),
        "422p10" => (PixelFormat.Yuv422p10, Y4mChromaSiting.Unspecified),
        "444p10" => (PixelFormat.Yuv444p10, Y4mChromaSiting.Unspecified),
        "420p12" => (PixelFormat.Yuv420p12, Y4mChromaSiting.Center),
        "422p12" => (PixelFormat.Yuv422p12, Y4mChromaSiting.Unspecified),
        "444p12" => (PixelFormat.Yuv444p12, Y4mChromaSiting.Unspecified),
        "mono" => (PixelFormat.Gray8, Y4mChromaSiting.Unspecified),
        "444alpha" => throw Unsupported(input, tag, "the alpha plane is not carried by the pipeline"),
        "411" or "420p9" or "422p9" or "444p9" or "420p14" or "422p14" or "444p14" or "420p16" or "422p16" or "444p16"
            or "mono9" or "mono10" or "mono12" or "mono14" or "mono16" =>
            throw Unsupported(input, tag, "the pipeline carries 8, 10 and 12 bit 4:2:0/4:2:2/4:4:4 and 8-bit mono"),
        _ => throw new SourceException($"{input}: unknown Y4M colour space C{tag}; supported: {string.Join(", ", Supported.Select(s => "C" + s))}"),
    };

    private static SourceException Unsupported(string input, string tag, string why) =>
        new($"{input}: unsupported Y4M colour space C{tag}: {why}; convert it first (ffmpeg -i IN -pix_fmt yuv420p10le -strict -1 OUT.y4m)");

    private static SourceException BadInterlace(string input, int pos, ReadOnlySpan<byte> token) =>
        SourceException.AtByte(input, pos, $"bad interlace tag '{SourceException.Printable(token)}': expected Ip, It, Ib, Im or I?");

    private static int ParseDimension(ReadOnlySpan<byte> value, string input, int pos, string what)
    {
        if (!TryParseInt(value, out var v) || v < 1 || v > 16384)
        {
            throw SourceException.AtByte(input, pos, $"bad {what} '{SourceException.Printable(value)}': expected 1..16384");
        }
        return v;
    }

    private static (int, int) ParseRatio(ReadOnlySpan<byte> value, string input, int pos, string what)
    {
        var colon = value.IndexOf((byte)':');
        if (colon < 0 || !TryParseInt(value[..colon], out var n) || !TryParseInt(value[(colon + 1)..], out var d))
        {
            throw SourceException.AtByte(input, pos, $"bad {what} '{SourceException.Printable(value)}': expected N:D with whole numbers");
        }
        return (n, d);
    }

    private static bool TryParseInt(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        if (digits.IsEmpty || digits.Length > 9)
        {
            return false;
        }
        foreach (var c in digits)
        {
            if (c is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
            value = value * 10 + (c - '0');
        }
        return true;
    }

    private static string Ascii(ReadOnlySpan<byte> value, string input, int pos)
    {
        foreach (var c in value)
        {
            if (c is < 0x21 or > 0x7e)
            {
                throw SourceException.AtByte(input, pos, $"header tag '{SourceException.Printable(value)}' holds a byte that is not printable ASCII");
            }
        }
        return System.Text.Encoding.ASCII.GetString(value);
    }

    public override string ToString() =>
        $"{Width}x{Height} F{Rate} C{ColorspaceTag} {Interlace}" + (AspectDenominator > 0 ? string.Create(CultureInfo.InvariantCulture, $" A{AspectNumerator}:{AspectDenominator}") : "");
}
