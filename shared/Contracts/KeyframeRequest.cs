using MessagePack;

namespace Aqs.Shared.Contracts;

/// <summary>
/// The one way to ask the encoder for an I frame: the network kernel sends it when a frame could not be
/// recovered or the rx ring overflowed, the display when its decoder lost a reference. The encoder in kernel C
/// honours the first request and ignores repeats that arrive before its keyframe is out.
/// </summary>
[MessagePackObject]
public sealed record KeyframeRequest : IControlContract
{
    public const int CurrentSchemaVersion = 1;

    [Key(0)] public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    [Key(1)] public long TimestampNs { get; init; }
    /// <summary>Who asks.</summary>
    [Key(2)] public KernelRole From { get; init; }
    /// <summary>The newest frame the requester had when it asked (0 when none).</summary>
    [Key(3)] public long LastGoodFrameId { get; init; }
    /// <summary>Why, in a few words ("frame 812 unrecoverable", "decoder lost reference").</summary>
    [Key(4)] public string Reason { get; init; } = "";
}
