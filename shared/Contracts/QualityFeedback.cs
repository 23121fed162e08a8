using MessagePack;

namespace Aqs.Shared.Contracts;

/// <summary>Delivered quality as kernel D (display) measured it, fed back to the engine in kernel C.</summary>
[MessagePackObject]
public sealed record QualityFeedback : IControlContract
{
    public const int CurrentSchemaVersion = 1;

    [Key(0)] public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    [Key(1)] public long TimestampNs { get; init; }
    /// <summary>The frame the metrics below belong to.</summary>
    [Key(2)] public long FrameId { get; init; }
    [Key(3)] public double Ssim { get; init; }
    [Key(4)] public double PsnrDb { get; init; }
    /// <summary>VMAF 0..100; <see cref="double.NaN"/> when it was not computed for this frame (it is costly).</summary>
    [Key(5)] public double Vmaf { get; init; } = double.NaN;
    /// <summary>The seed's perceptual quality metric (section 3.1).</summary>
    [Key(6)] public double Pqm { get; init; }
    /// <summary>Capture to display, glass to glass as far as the pipeline sees it.</summary>
    [Key(7)] public double LatencyMs { get; init; }
    [Key(8)] public long FramesDisplayed { get; init; }
    [Key(9)] public long FramesDropped { get; init; }
    [Key(10)] public long Freezes { get; init; }
    [Key(11)] public int Width { get; init; }
    [Key(12)] public int Height { get; init; }
    [Key(13)] public double Fps { get; init; }
    /// <summary>The decoder lost its reference and needs an I frame to recover.</summary>
    [Key(14)] public bool KeyframeRequested { get; init; }
}
