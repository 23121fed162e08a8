using MessagePack;

namespace Aqs.Shared.Contracts;

/// <summary>
/// Delivered quality as kernel D (display) measured it over a window of presented frames (about 100 ms), fed
/// back to the engine in kernel C. Quality fields are means over the frames measured in the window and NaN when
/// none was; counters are cumulative since the display started. Version 2 moved keyframe requests to their own
/// contract (<see cref="KeyframeRequest"/>) and added the window, p95 latency and freeze time.
/// </summary>
[MessagePackObject]
public sealed record QualityFeedback : IControlContract
{
    public const int CurrentSchemaVersion = 2;

    [Key(0)] public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    [Key(1)] public long TimestampNs { get; init; }
    /// <summary>The newest frame measured in the window.</summary>
    [Key(2)] public long FrameId { get; init; }
    [Key(3)] public double Ssim { get; init; } = double.NaN;
    [Key(4)] public double PsnrDb { get; init; } = double.NaN;
    /// <summary>VMAF 0..100; <see cref="double.NaN"/> when no frame of the window was scored (it is costly).</summary>
    [Key(5)] public double Vmaf { get; init; } = double.NaN;
    /// <summary>The seed's perceptual quality metric (section 3.1).</summary>
    [Key(6)] public double Pqm { get; init; } = double.NaN;
    /// <summary>Mean age of the picture on screen over the window (now − its capture time), in ms.</summary>
    [Key(7)] public double LatencyMs { get; init; } = double.NaN;
    [Key(8)] public long FramesDisplayed { get; init; }
    /// <summary>Frames that arrived but were never presented (late, undecodable).</summary>
    [Key(9)] public long FramesDropped { get; init; }
    /// <summary>Freezes as libwebrtc's getStats counts them.</summary>
    [Key(10)] public long Freezes { get; init; }
    /// <summary>Size of the decoded picture (the rung it was encoded at), before any scaling for display.</summary>
    [Key(11)] public int Width { get; init; }
    [Key(12)] public int Height { get; init; }
    /// <summary>Presented frames per second over the window.</summary>
    [Key(13)] public double Fps { get; init; }
    /// <summary>The oldest frame measured in the window.</summary>
    [Key(14)] public long FirstFrameId { get; init; }
    /// <summary>95th percentile of the on-screen age over the window, in ms.</summary>
    [Key(15)] public double LatencyP95Ms { get; init; } = double.NaN;
    /// <summary>Total time spent frozen since start, in ms.</summary>
    [Key(16)] public double FreezeMs { get; init; }
    /// <summary>Frames the quality means cover.</summary>
    [Key(17)] public int FramesMeasured { get; init; }
    /// <summary>Length of the window the means cover, in ms.</summary>
    [Key(18)] public double WindowMs { get; init; }
}
