using MessagePack;

namespace Aqs.Shared.Contracts;

/// <summary>What the AQS engine (kernel C) chose for the next frames; every kernel may follow it.</summary>
[MessagePackObject]
public sealed record EncoderDecision : IControlContract
{
    public const int CurrentSchemaVersion = 1;

    [Key(0)] public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    [Key(1)] public long TimestampNs { get; init; }
    /// <summary>The first frame the decision applies to.</summary>
    [Key(2)] public long FrameId { get; init; }
    [Key(3)] public int Width { get; init; }
    [Key(4)] public int Height { get; init; }
    [Key(5)] public double Fps { get; init; }
    [Key(6)] public int BitDepth { get; init; }
    [Key(7)] public long BitrateBps { get; init; }
    [Key(8)] public int QpMin { get; init; }
    [Key(9)] public int QpMax { get; init; }
    /// <summary>Parity packets per media packet the engine suggests to kernel A.</summary>
    [Key(10)] public double FecHint { get; init; }
    [Key(11)] public bool ForceKeyframe { get; init; }
    /// <summary>Why, in a few words, for logs and the dashboard ("loss 8% → FEC up").</summary>
    [Key(12)] public string Reason { get; init; } = "";
}
