namespace Aqs.Engine;

/// <summary>Delivered quality over a window of presented frames, as the display measured it against the source.</summary>
public readonly record struct QualitySample
{
    public long TimestampNs { get; init; }
    public long FirstFrameId { get; init; }
    public long LastFrameId { get; init; }
    /// <summary>Mean VMAF 0..100 over the window; NaN when none was scored.</summary>
    public double Vmaf { get; init; }
    /// <summary>Mean SSIM (all planes) over the window; NaN when none was measured.</summary>
    public double Ssim { get; init; }
    /// <summary>Mean and 95th percentile of the on-screen age, ms.</summary>
    public double LatencyMs { get; init; }
    public double LatencyP95Ms { get; init; }
    public long Freezes { get; init; }
    public double FreezeMs { get; init; }
    public double Fps { get; init; }
    public int FramesMeasured { get; init; }
}
