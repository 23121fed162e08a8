using Aqs.Shared.Frames;
using MessagePack;

namespace Aqs.Shared.Contracts;

/// <summary>What the encoder in kernel C produced, one per encoded frame (or per reporting window).</summary>
[MessagePackObject]
public sealed record EncoderStats : IControlContract
{
    public const int CurrentSchemaVersion = 2;

    [Key(0)] public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    [Key(1)] public long TimestampNs { get; init; }
    [Key(2)] public long FrameId { get; init; }
    /// <summary>Size of the encoded frame.</summary>
    [Key(3)] public int Bytes { get; init; }
    [Key(4)] public PictureType FrameType { get; init; }
    [Key(5)] public int Qp { get; init; }
    [Key(6)] public double EncodeMs { get; init; }
    /// <summary>How full the encoder's input queue is, 0..1 (seed 10.2: above 0.9 the engine sheds load).</summary>
    [Key(7)] public double QueueFill { get; init; }
    [Key(8)] public long BitrateBps { get; init; }
    /// <summary>The encoder in use, by its FFmpeg name ("libx264", "h264_nvenc").</summary>
    [Key(9)] public string Codec { get; init; } = "";
    [Key(10)] public int Width { get; init; }
    [Key(11)] public int Height { get; init; }
    [Key(12)] public double Fps { get; init; }
    [Key(13)] public int BitDepth { get; init; }
    [Key(14)] public long FramesEncoded { get; init; }
    [Key(15)] public long FramesDropped { get; init; }
    /// <summary>Source frames the engine chose not to encode (frame-rate decimation, size budget), cumulative.</summary>
    [Key(16)] public long FramesSkipped { get; init; }
    /// <summary>The encoder speed preset in use.</summary>
    [Key(17)] public string Preset { get; init; } = "";
}
