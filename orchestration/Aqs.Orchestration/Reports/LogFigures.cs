using System.Text.Json.Nodes;
using Aqs.Orchestration.Live;

namespace Aqs.Orchestration.Reports;

/// <summary>What a run's logs add up to: the report's own figures, recomputable by anyone from the JSON lines.</summary>
public sealed record LogFigures
{
    public long EncodedFrames { get; init; }
    public long EncodedBytes { get; init; }
    /// <summary>Encoded bits over the time between the first and last sample that saw the encoder.</summary>
    public double? MeanBitrateBps { get; init; }
    public double? MeanEncodeMs { get; init; }
    public long Keyframes { get; init; }
    public int Samples { get; init; }
    public double? VmafMean { get; init; }
    public double? SsimMean { get; init; }
    public double? LatencyP95MaxMs { get; init; }
    public int Decisions { get; init; }

    public static LogFigures From(IReadOnlyList<TelemetrySample> timeline, IReadOnlyList<JsonObject> frames, IReadOnlyList<JsonObject> decisions)
    {
        var bytes = frames.Sum(f => f["bytes"]?.GetValue<long>() ?? 0);
        var encodeMs = frames.Select(f => f["encode_ms"]?.GetValue<double>()).OfType<double>().ToList();
        var encoding = timeline.Where(s => s.BitrateBps is not null).ToList();
        // The per-second bits are what the frames of each second added up to: their sum over the seconds sampled.
        var seconds = encoding.Count;
        return new LogFigures
        {
            EncodedFrames = frames.Count,
            EncodedBytes = bytes,
            MeanBitrateBps = seconds > 0 ? encoding.Average(s => s.BitrateBps!.Value) : null,
            MeanEncodeMs = encodeMs.Count > 0 ? encodeMs.Average() : null,
            Keyframes = frames.Count(f => f["type"]?.GetValue<string>() == "I"),
            Samples = timeline.Count,
            VmafMean = Mean(timeline.Select(s => s.Vmaf)),
            SsimMean = Mean(timeline.Select(s => s.Ssim)),
            LatencyP95MaxMs = timeline.Select(s => s.LatencyP95Ms).OfType<double>().DefaultIfEmpty(double.NaN).Max() is var m && double.IsFinite(m) ? m : null,
            Decisions = decisions.Count,
        };
    }

    private static double? Mean(IEnumerable<double?> values)
    {
        var list = values.OfType<double>().ToList();
        return list.Count > 0 ? list.Average() : null;
    }

    public JsonObject ToJson() => new()
    {
        ["encoded_frames"] = EncodedFrames,
        ["encoded_bytes"] = EncodedBytes,
        ["mean_bitrate_bps"] = Round(MeanBitrateBps, 0),
        ["mean_encode_ms"] = Round(MeanEncodeMs, 3),
        ["keyframes"] = Keyframes,
        ["samples"] = Samples,
        ["vmaf_mean"] = Round(VmafMean, 3),
        ["ssim_mean"] = Round(SsimMean, 5),
        ["latency_p95_max_ms"] = Round(LatencyP95MaxMs, 1),
        ["decisions"] = Decisions,
    };

    private static double? Round(double? v, int digits) => v is { } x ? Math.Round(x, digits) : null;
}
