using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aqs.Orchestration.Live;

/// <summary>
/// One second of a run as the kernels reported it on the control plane, plus what the launcher reads from /proc and
/// the rings. One line of <c>timeline.jsonl</c>, one point of every live chart, one row of the report's plots.
/// A figure nobody reported in that second is null, never zero.
/// </summary>
public sealed record TelemetrySample
{
    /// <summary>Seconds since the kernels were started.</summary>
    public double T { get; init; }

    // Kernel C: the encoder and the AQS engine's latest decision.
    public double? EncodedFps { get; init; }
    /// <summary>Bits the encoder produced in this second.</summary>
    public double? BitrateBps { get; init; }
    /// <summary>The encoder's target bitrate.</summary>
    public double? TargetBps { get; init; }
    public double? EncodeMs { get; init; }
    public int? Width { get; init; }
    public int? Height { get; init; }
    public double? Fps { get; init; }
    public int? BitDepth { get; init; }
    public string? Mode { get; init; }
    public string? Preset { get; init; }
    public string? Codec { get; init; }
    public long? FramesEncoded { get; init; }

    // Kernel A.
    public double? EstimateBps { get; init; }
    /// <summary>Capacity of the emulated trace; null without one.</summary>
    public double? CapacityBps { get; init; }
    public double? SendRateBps { get; init; }
    public double? LossPct { get; init; }
    /// <summary>Parity packets per media packet, in percent.</summary>
    public double? FecPct { get; init; }
    public double? RttMs { get; init; }
    public double? QueueDelayMs { get; init; }
    public long? FramesSent { get; init; }
    public long? FramesReceived { get; init; }
    public long? FramesLost { get; init; }

    // Kernel D.
    public double? Vmaf { get; init; }
    public double? Ssim { get; init; }
    public double? PsnrDb { get; init; }
    public double? LatencyMs { get; init; }
    public double? LatencyP95Ms { get; init; }
    public double? DisplayedFps { get; init; }
    public long? Freezes { get; init; }
    public double? FreezeMs { get; init; }
    /// <summary>Frames displayed since the run started, over display restarts.</summary>
    public long? FramesDisplayed { get; init; }

    // Processes and rings, by kernel (kernel-encode, ...) and by ring (raw, ref, enc, rx).
    public Dictionary<string, double>? CpuPct { get; init; }
    public Dictionary<string, double>? RssMb { get; init; }
    public Dictionary<string, double>? Fds { get; init; }
    public Dictionary<string, double>? RingFill { get; init; }
    /// <summary>Frames published into each ring per second: each kernel's output rate.</summary>
    public Dictionary<string, double>? RingFps { get; init; }
    public int Restarts { get; init; }

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string ToJsonLine() => JsonSerializer.Serialize(this, Json);

    public static TelemetrySample? FromJsonLine(string line)
    {
        try
        {
            return JsonSerializer.Deserialize<TelemetrySample>(line, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
