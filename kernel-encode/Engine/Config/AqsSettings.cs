using System.Globalization;

namespace Aqs.Engine.Config;

/// <summary>The engine's settings, one table for flags and preset files (the seed's tuning guide, plus what it implies).</summary>
public static class AqsSettings
{
    public static IReadOnlyList<AqsSetting> All { get; } =
    [
        new("aqs", "on|off: adapt rung and bitrate to the link (on), or keep one fixed rung and bitrate (off)", false,
            (c, v) => c with { Enabled = OnOff("aqs", v) }),
        new("mode", "quality|latency|mobile|sports|conference: what the stream is for (default quality)", false,
            (c, v) => c with { Mode = Enum.TryParse<AqsMode>(v, ignoreCase: true, out var m) && !int.TryParse(v, out _) ? m
                : throw Bad("mode", v, "quality, latency, mobile, sports or conference") }),
        new("spatial-scale", "fixed encode scale of the source, 0.5 to 1 (pins the resolution)", false,
            (c, v) => c with { SpatialScale = Number("spatial-scale", v, 0.5, 1.0) }),
        new("spatial-floor", "lowest encoded resolution: 360p, 720p, 1080p, 1440p, 4k or a line count", false,
            (c, v) => c with { SpatialFloorLines = Lines("spatial-floor", v) }),
        new("spatial-max", "highest encoded resolution: 720p, 1080p, 1440p, 4k, 8k or a line count", false,
            (c, v) => c with { SpatialMaxLines = Lines("spatial-max", v) }),
        new("temporal-min", "lowest frame rate, fps (never above the source's; the seed's range is 30-120)", false,
            (c, v) => c with { TemporalMinFps = Number("temporal-min", v, 1, 1000) }),
        new("temporal-max", "highest frame rate, fps (never above the source's)", false,
            (c, v) => c with { TemporalMaxFps = Number("temporal-max", v, 1, 1000) }),
        new("bitdepth", "8|10|12: fixed encoded bit depth (default: the source's, where the encoder has it)", false,
            (c, v) => c with { BitDepth = v is "8" or "10" or "12" ? int.Parse(v, CultureInfo.InvariantCulture) : throw Bad("bitdepth", v, "8, 10 or 12") }),
        new("color-range", "limited|full: sample range of the encoded stream (default: the source's)", false,
            (c, v) => c with { ColorRange = v.ToLowerInvariant() switch
            {
                "limited" or "tv" => ColorRangeChoice.Limited,
                "full" or "pc" => ColorRangeChoice.Full,
                _ => throw Bad("color-range", v, "limited or full"),
            } }),
        new("vmaf-target", "delivered VMAF to aim at, 0-100; bits beyond it are saved", false,
            (c, v) => c with { VmafTarget = Number("vmaf-target", v, 0, 100) }),
        new("max-frametime", "longest encode time per frame before load is shed, e.g. 8ms", false,
            (c, v) => c with { MaxFrametimeMs = Milliseconds("max-frametime", v) }),
        new("max-latency", "end-to-end latency budget, e.g. 66ms (default: the mode's)", false,
            (c, v) => c with { MaxLatencyMs = Milliseconds("max-latency", v) }),
        new("bitrate-cap", "highest media bitrate, kbit/s (e.g. 25000)", false,
            (c, v) => c with { BitrateCapKbps = (int)Number("bitrate-cap", v, 50, 10_000_000) }),
        new("power-limit", "most power encoding may draw where it is measured (RAPL, NVML), e.g. 15w", false,
            (c, v) => c with { PowerLimitW = Number("power-limit", v.EndsWith('w') || v.EndsWith('W') ? v[..^1] : v, 0.1, 10_000) }),
        new("bitrate", "starting bitrate, or the fixed one with --aqs off, bit/s", false,
            (c, v) => c with { BitrateBps = (long)Number("bitrate", v, 10_000, 10_000_000_000) }),
        new("disable-advanced-analysis", "analyse content with the cheap measures only (luma SAD and variance)", true,
            (c, v) => c with { DisableAdvancedAnalysis = OnOff("disable-advanced-analysis", v) }),
        new("enable-nvidia-reflex", "lowest-latency encoder settings on an NVIDIA GPU (said once and ignored without one)", true,
            (c, v) => c with { EnableNvidiaReflex = OnOff("enable-nvidia-reflex", v) }),
        new("enable-nvidia-aiq", "content analysis and telemetry on an NVIDIA GPU through CUDA (said once and ignored without one)", true,
            (c, v) => c with { EnableNvidiaAiq = OnOff("enable-nvidia-aiq", v) }),
        new("enable-intel-vtd", "AVX-512 content analysis on Intel CPUs that have it (said once and ignored elsewhere)", true,
            (c, v) => c with { EnableIntelVtd = OnOff("enable-intel-vtd", v) }),
    ];

    public static AqsSetting? Find(string name) => All.FirstOrDefault(s => s.Name == name);

    /// <summary>Lines from "720p", "1440p", "4k", "8k" or a bare line count.</summary>
    public static int Lines(string name, string text)
    {
        var v = text.Trim().ToLowerInvariant();
        var lines = v switch
        {
            "4k" or "2160p" or "uhd" => 2160,
            "8k" or "4320p" => 4320,
            "2k" => 1440,
            _ when v.EndsWith('p') && int.TryParse(v[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var p) => p,
            _ when int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
            _ => -1,
        };
        return lines is >= 16 and <= 8640 ? lines : throw Bad(name, text, "a resolution such as 720p, 1440p, 4k or a line count 16-8640");
    }

    private static double Number(string name, string text, double min, double max)
    {
        if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }
        throw Bad(name, text, $"a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");
    }

    private static double Milliseconds(string name, string text)
    {
        var v = text.Trim().ToLowerInvariant();
        var (number, scale) = v.EndsWith("ms") ? (v[..^2], 1.0) : v.EndsWith("us") ? (v[..^2], 0.001) : v.EndsWith('s') ? (v[..^1], 1000.0) : (v, 1.0);
        if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && value * scale <= 60_000)
        {
            return value * scale;
        }
        throw Bad(name, text, "a duration such as 8ms, 500us or 0.1s");
    }

    private static bool OnOff(string name, string text) => text.Trim().ToLowerInvariant() switch
    {
        "on" or "true" or "yes" or "1" => true,
        "off" or "false" or "no" or "0" => false,
        _ => throw Bad(name, text, "on or off"),
    };

    private static AqsConfigException Bad(string name, string text, string expected) =>
        new($"--{name}: '{text}' is not {expected}");
}
