using MessagePack;

namespace Aqs.Shared.Contracts;

/// <summary>
/// What the AQS engine (kernel C) chose, published whenever a knob moves and as a refresh every half second.
/// Version 2 adds the mode, the preset, the frame-size budget, the frame rate as a decimation of the source and
/// the inputs the choice was made on, so a subscriber can show why the stream changed.
/// </summary>
[MessagePackObject]
public sealed record EncoderDecision : IControlContract
{
    public const int CurrentSchemaVersion = 2;

    [Key(0)] public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    [Key(1)] public long TimestampNs { get; init; }
    /// <summary>The first frame the decision applies to.</summary>
    [Key(2)] public long FrameId { get; init; }
    [Key(3)] public int Width { get; init; }
    [Key(4)] public int Height { get; init; }
    [Key(5)] public double Fps { get; init; }
    [Key(6)] public int BitDepth { get; init; }
    /// <summary>The encoder's target bitrate (media only).</summary>
    [Key(7)] public long BitrateBps { get; init; }
    [Key(8)] public int QpMin { get; init; }
    [Key(9)] public int QpMax { get; init; }
    /// <summary>Parity packets per media packet the engine suggests to kernel A.</summary>
    [Key(10)] public double FecHint { get; init; }
    [Key(11)] public bool ForceKeyframe { get; init; }
    /// <summary>Why, in a few words, for logs and the dashboard ("loss 8% → FEC up").</summary>
    [Key(12)] public string Reason { get; init; } = "";
    /// <summary>quality, latency, mobile, sports, conference, or off (fixed rung and bitrate).</summary>
    [Key(13)] public string Mode { get; init; } = "";
    /// <summary>The encoder speed preset in use.</summary>
    [Key(14)] public string Preset { get; init; } = "";
    /// <summary>Largest encoded frame the link can take now without building a queue, bytes (0 = unbounded).</summary>
    [Key(15)] public int FrameBudgetBytes { get; init; }
    /// <summary>The link estimate the decision was made on (bit/s) and the queueing delay seen (ms).</summary>
    [Key(16)] public double EstimateBps { get; init; }
    [Key(17)] public double QueueDelayMs { get; init; }
    /// <summary>The delivered quality it was made on (NaN when none yet).</summary>
    [Key(18)] public double DeliveredVmaf { get; init; } = double.NaN;
    [Key(19)] public double DeliveredSsim { get; init; } = double.NaN;
    /// <summary>The encoder's mean encode time per frame over the last half second, ms.</summary>
    [Key(20)] public double EncodeMs { get; init; }
}
