namespace Aqs.Engine.Config;

/// <summary>
/// A change of settings while the stream runs (the seed's <c>aqs_update_params</c>): every non-null field replaces
/// the one in force; the engine re-resolves its limits and says in its next decision what changed.
/// </summary>
public sealed record AqsParams
{
    public AqsMode? Mode { get; init; }
    public double? VmafTarget { get; init; }
    public int? BitrateCapKbps { get; init; }
    public double? MinFps { get; init; }
    public double? MaxFps { get; init; }
    public double? SpatialScale { get; init; }
    public int? SpatialFloorLines { get; init; }
    public int? BitDepth { get; init; }
    public double? MaxLatencyMs { get; init; }

    /// <summary>The same change as a config overlay.</summary>
    public AqsConfig AsOverlay() => new()
    {
        Mode = Mode,
        VmafTarget = VmafTarget,
        BitrateCapKbps = BitrateCapKbps,
        TemporalMinFps = MinFps,
        TemporalMaxFps = MaxFps,
        SpatialScale = SpatialScale,
        SpatialFloorLines = SpatialFloorLines,
        BitDepth = BitDepth,
        MaxLatencyMs = MaxLatencyMs,
    };
}
