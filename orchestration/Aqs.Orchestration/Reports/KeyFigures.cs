using System.Globalization;
using System.Text.Json.Nodes;

namespace Aqs.Orchestration.Reports;

/// <summary>A headline figure of a run, read from its summary.json (the kernels' own totals).</summary>
public sealed record KeyFigure(string Label, Func<JsonObject, double?> Read, string Digits, bool HigherIsBetter)
{
    public string Format(double? value) =>
        value is { } v && double.IsFinite(v) ? v.ToString(Digits, CultureInfo.InvariantCulture) : "n/a";
}

/// <summary>The figures the report leads with and <c>aqs compare</c> sets side by side.</summary>
public static class KeyFigures
{
    public static IReadOnlyList<KeyFigure> All { get; } =
    [
        new("frames displayed", s => Kernel(s, "display", "frames_displayed"), "F0", true),
        new("displayed fps", s => PerSecond(s, "display", "frames_displayed"), "F1", true),
        new("encoded bitrate, Mbit/s", s => Kernel(s, "encode", "bytes") is { } b && Kernel(s, "encode", "active_s") is { } t && t > 0 ? b * 8 / t / 1e6 : null, "F2", false),
        // Kernel D's on-screen age where it reports it, its capture->decoded latency otherwise.
        new("latency p50, ms", s => Kernel(s, "display", "age_ms_p50") ?? Kernel(s, "display", "latency_ms_p50"), "F1", false),
        new("latency p95, ms", s => Kernel(s, "display", "age_ms_p95") ?? Kernel(s, "display", "latency_ms_p95"), "F1", false),
        new("latency p99, ms", s => Kernel(s, "display", "age_ms_p99") ?? Kernel(s, "display", "latency_ms_p99"), "F1", false),
        new("freezes", s => Kernel(s, "display", "freezes"), "F0", false),
        new("freeze time, ms", s => Kernel(s, "display", "freeze_ms"), "F0", false),
        new("VMAF mean", s => Kernel(s, "display", "vmaf_mean"), "F2", true),
        new("VMAF p5", s => Kernel(s, "display", "vmaf_p5"), "F2", true),
        new("SSIM", s => Kernel(s, "display", "ssim_mean"), "F4", true),
        new("SSIM, dB", s => Kernel(s, "display", "ssim_db_mean"), "F2", true),
        new("PSNR, dB", s => Kernel(s, "display", "psnr_mean"), "F2", true),
        new("frames lost by the network", s => Kernel(s, "network", "frames_lost"), "F0", false),
        new("encoder skipped", s => Kernel(s, "encode", "frames_skipped"), "F0", false),
        new("restarts", s => s["restarts"] is JsonArray a ? a.Count : null, "F0", false),
    ];

    public static double? Kernel(JsonObject summary, string kernel, string key) =>
        summary["kernels"]?["kernel-" + kernel]?[key] is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;

    private static double? PerSecond(JsonObject summary, string kernel, string key) =>
        Kernel(summary, kernel, key) is { } n && Kernel(summary, kernel, "active_s") is { } t && t > 0 ? n / t : null;
}
