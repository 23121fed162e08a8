using System.Globalization;

namespace Aqs.Engine.Config;

/// <summary>Turns the user's settings, the mode and the source into a <see cref="ResolvedConfig"/>, or one line saying why not.</summary>
internal static class ConfigResolver
{
    /// <summary>Spatial rungs as shares of the source height: 1x down to the seed's 1/2x.</summary>
    private static readonly double[] Scales = [1.0, 0.75, 0.5];

    public static ResolvedConfig Resolve(AqsConfig c, SourceInfo source, IReadOnlyCollection<int> codecDepths)
    {
        if (source.Width <= 0 || source.Height <= 0 || !(source.Fps > 0))
        {
            throw new AqsConfigException($"source must have a size and a frame rate: {source.Width}x{source.Height} @ {source.Fps} fps");
        }
        CheckContradictions(c);
        var enabled = c.Enabled ?? true;
        var profile = ModeProfile.For(c.Mode ?? AqsMode.Quality);
        var notices = new List<string>();
        var heights = Heights(c, profile, source, notices);
        var rates = FrameRates(c, profile, source, notices);
        var depths = Depths(c, source, codecDepths);
        var cap = c.BitrateCapKbps is { } kbps ? kbps * 1000L : (long?)null;
        var start = c.BitrateBps ?? 4_000_000;
        if (cap is { } capBps && start > capBps)
        {
            start = capBps;
        }
        var maxLatency = c.MaxLatencyMs ?? profile.LatencyBudgetMs;
        return new ResolvedConfig
        {
            Enabled = enabled,
            Profile = profile,
            Source = source,
            Heights = enabled ? heights : [source.Height],
            FrameRates = enabled ? rates : [source.Fps],
            BitDepths = enabled ? depths : [depths.Contains(source.BitDepth) ? source.BitDepth : depths[^1]],
            VmafTarget = c.VmafTarget ?? profile.VmafTarget,
            // A latency budget tighter than the mode's pulls the queue target down with it (a third of the budget).
            TargetQueueMs = Math.Min(profile.TargetQueueMs, maxLatency / 3),
            LatencyBudgetMs = maxLatency,
            MaxFrametimeMs = c.MaxFrametimeMs,
            BitrateCapBps = cap,
            StartBitrateBps = start,
            PowerLimitW = c.PowerLimitW,
            ColorRange = c.ColorRange,
            AdvancedAnalysis = !(c.DisableAdvancedAnalysis ?? false),
            NvidiaReflex = c.EnableNvidiaReflex ?? false,
            NvidiaAiq = c.EnableNvidiaAiq ?? false,
            IntelVtd = c.EnableIntelVtd ?? false,
            Notices = notices,
        };
    }

    /// <summary>Settings that contradict each other whatever the source: checked as soon as they are read.</summary>
    public static void CheckContradictions(AqsConfig c)
    {
        if (c.Enabled == false)
        {
            RefuseAdaptiveSettingsWhenOff(c);
        }
        if (c.TemporalMinFps is { } lo && c.TemporalMaxFps is { } hi && lo > hi)
        {
            throw new AqsConfigException($"--temporal-min {Fps(lo)} is above --temporal-max {Fps(hi)}");
        }
        if (c.SpatialFloorLines is { } f && c.SpatialMaxLines is { } m && f > m)
        {
            throw new AqsConfigException($"--spatial-floor {Lines(f)} is above --spatial-max {Lines(m)}");
        }
    }

    private static void RefuseAdaptiveSettingsWhenOff(AqsConfig c)
    {
        (string Flag, bool Given)[] adaptive =
        [
            ("--mode", c.Mode is not null), ("--spatial-floor", c.SpatialFloorLines is not null), ("--spatial-max", c.SpatialMaxLines is not null),
            ("--temporal-min", c.TemporalMinFps is not null), ("--temporal-max", c.TemporalMaxFps is not null),
            ("--vmaf-target", c.VmafTarget is not null), ("--max-frametime", c.MaxFrametimeMs is not null),
            ("--power-limit", c.PowerLimitW is not null), ("--max-latency", c.MaxLatencyMs is not null),
        ];
        foreach (var (flag, given) in adaptive)
        {
            if (given)
            {
                throw new AqsConfigException($"{flag} steers the AQS engine, which --aqs off turns off: drop one of them");
            }
        }
    }

    private static List<int> Heights(AqsConfig c, ModeProfile profile, SourceInfo source, List<string> notices)
    {
        var h = source.Height;
        if (c.SpatialFloorLines is { } f && c.SpatialMaxLines is { } m && f > m)
        {
            throw new AqsConfigException($"--spatial-floor {Lines(f)} is above --spatial-max {Lines(m)}");
        }
        var max = Math.Min(h, c.SpatialMaxLines ?? h);
        var floor = c.SpatialFloorLines ?? profile.SpatialFloorLines;
        var half = Even((int)Math.Ceiling(h * Scales[^1]));
        if (floor > h)
        {
            notices.Add($"spatial floor {Lines(floor)} is above the source's {h} lines: encoding at the source size");
            floor = h;
        }
        if (c.SpatialScale is { } scale)
        {
            var fixedLines = Even((int)Math.Round(h * scale));
            if (c.SpatialFloorLines is { } userFloor && fixedLines < userFloor)
            {
                throw new AqsConfigException(
                    $"--spatial-scale {scale.ToString(CultureInfo.InvariantCulture)} gives {fixedLines} lines, below --spatial-floor {Lines(userFloor)}");
            }
            return [fixedLines];
        }
        var lowest = Math.Max(half, floor);
        if (lowest > max)
        {
            // A floor the source allows but the maximum does not: the maximum wins only when the user set both, checked above.
            lowest = max;
        }
        var heights = new List<int> { Even(max) };
        foreach (var s in Scales)
        {
            var lines = Even((int)Math.Round(h * s));
            if (lines < Even(max) && lines >= lowest && !heights.Contains(lines))
            {
                heights.Add(lines);
            }
        }
        if (heights[^1] > Even(lowest) && !heights.Contains(Even(lowest)))
        {
            heights.Add(Even(lowest));
        }
        return heights;
    }

    private static List<double> FrameRates(AqsConfig c, ModeProfile profile, SourceInfo source, List<string> notices)
    {
        if (c.TemporalMinFps is { } lo && c.TemporalMaxFps is { } hi && lo > hi)
        {
            throw new AqsConfigException($"--temporal-min {Fps(lo)} is above --temporal-max {Fps(hi)}");
        }
        var max = Math.Min(source.Fps, c.TemporalMaxFps ?? profile.MaxFps);
        var min = c.TemporalMinFps ?? profile.MinFps;
        if (min > source.Fps + 1e-6)
        {
            notices.Add($"minimum frame rate {Fps(min)} is above the source's {Fps(source.Fps)} fps: holding the source rate");
            min = source.Fps;
        }
        if (max < min)
        {
            // The mode's maximum below the user's minimum: the user's explicit minimum wins.
            max = min;
        }
        // Even decimation: keep every k-th frame; rates within a whisker of an allowed bound count as allowed.
        var rates = new List<double>();
        for (var k = 1; k <= 8; k++)
        {
            var rate = source.Fps / k;
            if (rate <= max + 1e-6 && rate >= min - 1e-6)
            {
                rates.Add(rate);
            }
        }
        if (rates.Count == 0)
        {
            // No whole divisor lands between the bounds (e.g. 50 fps source, 30..45): the nearest one below the maximum.
            var k = (int)Math.Ceiling(source.Fps / max - 1e-9);
            rates.Add(source.Fps / k);
            notices.Add($"no whole decimation of {Fps(source.Fps)} fps lies in {Fps(min)}..{Fps(max)}: using {Fps(source.Fps / k)} fps");
        }
        return rates;
    }

    private static List<int> Depths(AqsConfig c, SourceInfo source, IReadOnlyCollection<int> codecDepths)
    {
        if (codecDepths.Count == 0)
        {
            throw new AqsConfigException("the encoder reports no bit depth it can encode");
        }
        var supported = codecDepths.OrderDescending().ToList();
        if (c.BitDepth is { } depth)
        {
            if (!supported.Contains(depth))
            {
                throw new AqsConfigException($"--bitdepth {depth}: this encoder takes {string.Join(", ", supported.Order())} bit here");
            }
            return [depth];
        }
        // Deeper than the source adds cost, not detail: the source's depth and below.
        var usable = supported.Where(d => d <= Math.Max(8, source.BitDepth)).ToList();
        return usable.Count > 0 ? usable : [supported[^1]];
    }

    private static int Even(int lines) => Math.Max(2, lines & ~1);

    private static string Lines(int lines) => lines switch
    {
        2160 => "4k",
        4320 => "8k",
        _ => lines + "p",
    };

    private static string Fps(double fps) => fps.ToString("0.##", CultureInfo.InvariantCulture);
}
