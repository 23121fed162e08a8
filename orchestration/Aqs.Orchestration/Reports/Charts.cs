using Aqs.Orchestration.Live;

namespace Aqs.Orchestration.Reports;

/// <summary>One line of a chart: its name and how to read it from a sample (null = not measured then).</summary>
public sealed record ChartSeries(string Name, string Key, Func<TelemetrySample, double?> Value);

/// <summary>One chart: a title, a unit and its lines.</summary>
public sealed record Chart(string Id, string Title, string Unit, IReadOnlyList<ChartSeries> Series);

/// <summary>
/// The charts of a run, defined once: the report's PNGs and the live page's time series (served to the page as JSON,
/// points keyed by <see cref="ChartSeries.Key"/>) are the same lines.
/// </summary>
public static class Charts
{
    public static IReadOnlyList<Chart> All { get; } =
    [
        new("bitrate", "Bitrate vs estimate vs capacity", "Mbit/s",
        [
            new("encoded", "bitrate", s => s.BitrateBps / 1e6),
            new("target", "target", s => s.TargetBps / 1e6),
            new("estimate", "estimate", s => s.EstimateBps / 1e6),
            new("capacity", "capacity", s => s.CapacityBps / 1e6),
        ]),
        new("rung", "Rung: encoded lines", "lines", [new("height", "height", s => s.Height)]),
        new("rate", "Frame rate and bit depth", "fps / bits",
        [
            new("encoder fps", "fps", s => s.Fps),
            new("encoded fps", "encoded_fps", s => s.EncodedFps),
            new("displayed fps", "displayed_fps", s => s.DisplayedFps),
            new("bit depth", "bit_depth", s => s.BitDepth),
        ]),
        new("quality", "Delivered quality", "score",
        [
            new("VMAF", "vmaf", s => s.Vmaf),
            new("SSIM x100", "ssim100", s => s.Ssim * 100),
        ]),
        new("latency", "Age of the picture on screen", "ms",
        [
            new("mean", "latency", s => s.LatencyMs),
            new("p95", "latency_p95", s => s.LatencyP95Ms),
            new("queue delay", "queue_delay", s => s.QueueDelayMs),
        ]),
        new("loss", "Loss and FEC overhead", "%",
        [
            new("loss", "loss", s => s.LossPct),
            new("FEC parity", "fec", s => s.FecPct),
        ]),
        new("encode", "Encode time", "ms/frame", [new("encode", "encode_ms", s => s.EncodeMs)]),
        new("rings", "Ring fill", "%",
        [
            .. Telemetry.Rings.Select(r => new ChartSeries(r, "fill_" + r, s => s.RingFill is { } f && f.TryGetValue(r, out var v) ? v * 100 : null)),
        ]),
        new("cpu", "CPU per kernel", "% of a core",
        [
            .. Enum.GetValues<KernelKind>().Select(k => new ChartSeries(k.ToString().ToLowerInvariant(), "cpu_" + k.ToString().ToLowerInvariant(),
                s => s.CpuPct is { } c && c.TryGetValue(k.ExecutableName(), out var v) ? v : null)),
        ]),
    ];

    /// <summary>A sample as the live page's point: time plus every series by key.</summary>
    public static Dictionary<string, double?> Point(TelemetrySample sample)
    {
        var point = new Dictionary<string, double?> { ["t"] = sample.T };
        foreach (var series in All.SelectMany(c => c.Series))
        {
            point[series.Key] = series.Value(sample) is { } v && double.IsFinite(v) ? Math.Round(v, 4) : null;
        }
        return point;
    }
}
