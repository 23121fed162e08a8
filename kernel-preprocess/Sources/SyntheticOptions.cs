using System.Globalization;
using Aqs.Shared.Frames;

namespace Aqs.Kernel.Preprocess.Sources;

/// <summary>
/// What the synthetic source draws. As an input string:
/// <c>synthetic[:key=value,key=value,...]</c> with keys <c>size</c> (WxH), <c>fps</c>, <c>depth</c> (8/10/12),
/// <c>chroma</c> (420/422/444), <c>seed</c>, <c>motion</c> (px/frame), <c>detail</c> (0..1), <c>noise</c> (0..1),
/// <c>cuts</c> (scene cut every N s, 0 = none) and <c>script</c>, which must come last because it takes the rest of
/// the string (see <see cref="SyntheticScript"/>), e.g. <c>synthetic:size=3840x2160,depth=10,script=0s:calm;3s:pan fast;6s:cut</c>.
/// </summary>
public sealed record SyntheticOptions
{
    public int Width { get; init; } = 1280;
    public int Height { get; init; } = 720;
    public double Fps { get; init; } = 60;
    public int BitDepth { get; init; } = 8;
    public ChromaSubsampling Chroma { get; init; } = ChromaSubsampling.Cs420;
    public ulong Seed { get; init; } = 1;
    /// <summary>Pan speed of the background in pixels per frame; objects move at 0.5..2 times it.</summary>
    public double MotionSpeed { get; init; } = 4;
    /// <summary>Amount of fine texture, 0 (smooth) .. 1 (busy).</summary>
    public double Detail { get; init; } = 0.5;
    /// <summary>Temporal noise, 0 (clean) .. 1 (heavy grain).</summary>
    public double Noise { get; init; } = 0.05;
    /// <summary>A scene cut every this many seconds; 0 = none.</summary>
    public double SceneCutEverySeconds { get; init; }
    /// <summary>Timed changes of the values above; null = constant.</summary>
    public SyntheticScript? Script { get; init; }

    public PixelFormat Format => PixelFormats.From(Chroma, BitDepth);

    public FrameLayout Layout => new(Width, Height, Format);

    /// <summary>Checks every value against its bounds; one-line <see cref="SourceException"/> naming the value.</summary>
    public void Validate()
    {
        Check(Width is >= 16 and <= 7680, $"width must be 16..7680: {Width}");
        Check(Height is >= 16 and <= 4320, $"height must be 16..4320: {Height}");
        Check(Fps is > 0 and <= 120 && double.IsFinite(Fps), $"fps must be above 0 and at most 120: {Fps}");
        Check(BitDepth is 8 or 10 or 12, $"bit depth must be 8, 10 or 12: {BitDepth}");
        Check(Chroma != ChromaSubsampling.Mono, "chroma must be 420, 422 or 444");
        Check(MotionSpeed is >= 0 and <= SyntheticScript.MaxMotion, $"motion must be 0..{SyntheticScript.MaxMotion} px/frame: {MotionSpeed}");
        Check(Detail is >= 0 and <= 1, $"detail must be 0..1: {Detail}");
        Check(Noise is >= 0 and <= 1, $"noise must be 0..1: {Noise}");
        Check(SceneCutEverySeconds is >= 0 and <= 3600, $"scene cut period must be 0..3600 s: {SceneCutEverySeconds}");
    }

    private static void Check(bool ok, string message)
    {
        if (!ok)
        {
            throw new SourceException("synthetic source: " + message);
        }
    }

    /// <summary>Parses "synthetic" or "synthetic:key=value,..." on top of <paramref name="defaults"/>.</summary>
    public static SyntheticOptions Parse(string input, SyntheticOptions? defaults = null)
    {
        var o = defaults ?? new SyntheticOptions();
        var colon = input.IndexOf(':');
        if (colon < 0)
        {
            return o;
        }
        var rest = input[(colon + 1)..];
        while (rest.Length > 0)
        {
            string item;
            if (rest.StartsWith("script=", StringComparison.Ordinal))
            {
                item = rest;
                rest = "";
            }
            else
            {
                var comma = rest.IndexOf(',');
                item = comma < 0 ? rest : rest[..comma];
                rest = comma < 0 ? "" : rest[(comma + 1)..];
            }
            if (item.Length == 0)
            {
                continue;
            }
            var eq = item.IndexOf('=');
            if (eq <= 0)
            {
                throw new SourceException($"synthetic source: option '{item}' must be key=value (keys: size, fps, depth, chroma, seed, motion, detail, noise, cuts, script)");
            }
            var key = item[..eq].Trim().ToLowerInvariant();
            var value = item[(eq + 1)..].Trim();
            o = key switch
            {
                "size" => RawYuvSource.TryParseSize(value, out var w, out var h) ? o with { Width = w, Height = h } : throw Bad(key, value, "WxH"),
                "fps" => o with { Fps = FrameRate.TryParse(value, out var r) ? r.Fps : throw Bad(key, value, "a rate like 60 or 30000/1001") },
                "depth" or "bitdepth" => o with { BitDepth = ParseInt(key, value) },
                "chroma" => o with { Chroma = ParseChroma(value) },
                "seed" => o with { Seed = ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : throw Bad(key, value, "a whole number") },
                "motion" => o with { MotionSpeed = ParseDouble(key, value) },
                "detail" => o with { Detail = ParseDouble(key, value) },
                "noise" => o with { Noise = ParseDouble(key, value) },
                "cuts" => o with { SceneCutEverySeconds = ParseDouble(key, value) },
                "script" => o with { Script = SyntheticScript.Parse(value) },
                _ => throw new SourceException($"synthetic source: unknown option '{key}' (keys: size, fps, depth, chroma, seed, motion, detail, noise, cuts, script)"),
            };
        }
        return o;
    }

    public static ChromaSubsampling ParseChroma(string value) => value.ToLowerInvariant() switch
    {
        "420" or "4:2:0" => ChromaSubsampling.Cs420,
        "422" or "4:2:2" => ChromaSubsampling.Cs422,
        "444" or "4:4:4" => ChromaSubsampling.Cs444,
        _ => throw Bad("chroma", value, "420, 422 or 444"),
    };

    private static int ParseInt(string key, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : throw Bad(key, value, "a whole number");

    private static double ParseDouble(string key, string value) =>
        double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v) ? v : throw Bad(key, value, "a number");

    private static SourceException Bad(string key, string value, string expected) =>
        new($"synthetic source: bad {key} '{value}': expected {expected}");
}
