namespace Aqs.Engine.Config;

/// <summary>
/// What the user asked of the engine (the seed's <c>AQSConfig</c>, and every flag of its tuning guide). A null field
/// was not given: the mode's <see cref="ModeProfile"/> decides. Settings come from a preset file first, then flags
/// (<see cref="Overlay"/>), then run-time updates (<see cref="AqsParams"/>); <see cref="Resolve"/> checks them
/// against each other and the source, and gives the limits the engine works within.
/// </summary>
public sealed record AqsConfig
{
    /// <summary>False keeps one fixed rung and bitrate (<c>--aqs off</c>), the baseline every comparison runs beside.</summary>
    public bool? Enabled { get; init; }
    public AqsMode? Mode { get; init; }
    /// <summary>Fixed encode scale of the source, 0.5..1: pins the spatial rung.</summary>
    public double? SpatialScale { get; init; }
    /// <summary>Fewest lines an encoded picture may have (720 for "720p").</summary>
    public int? SpatialFloorLines { get; init; }
    /// <summary>Most lines an encoded picture may have ("4k" = 2160).</summary>
    public int? SpatialMaxLines { get; init; }
    public double? TemporalMinFps { get; init; }
    public double? TemporalMaxFps { get; init; }
    /// <summary>Fixed bit depth 8, 10 or 12.</summary>
    public int? BitDepth { get; init; }
    /// <summary>Sample range of the encoded stream; the source's when null.</summary>
    public ColorRangeChoice? ColorRange { get; init; }
    public double? VmafTarget { get; init; }
    /// <summary>Longest encode time per frame, ms; over it the engine sheds load (seed 10.2).</summary>
    public double? MaxFrametimeMs { get; init; }
    /// <summary>Highest media bitrate, kbit/s.</summary>
    public int? BitrateCapKbps { get; init; }
    /// <summary>Most power the encoding may draw (package or GPU, where measured), W.</summary>
    public double? PowerLimitW { get; init; }
    /// <summary>Most end-to-end latency the stream may have, ms (overrides the mode's budget).</summary>
    public double? MaxLatencyMs { get; init; }
    /// <summary>Content analysis keeps only the cheap measures (luma SAD and variance), no scene or noise analysis.</summary>
    public bool? DisableAdvancedAnalysis { get; init; }
    public bool? EnableNvidiaReflex { get; init; }
    public bool? EnableNvidiaAiq { get; init; }
    public bool? EnableIntelVtd { get; init; }
    /// <summary>The fixed bitrate with AQS off, and the starting bitrate with it on, bit/s.</summary>
    public long? BitrateBps { get; init; }

    public static AqsConfig Empty { get; } = new();

    /// <summary>This config with every field <paramref name="over"/> sets taken from it.</summary>
    public AqsConfig Overlay(AqsConfig over) => new()
    {
        Enabled = over.Enabled ?? Enabled,
        Mode = over.Mode ?? Mode,
        SpatialScale = over.SpatialScale ?? SpatialScale,
        SpatialFloorLines = over.SpatialFloorLines ?? SpatialFloorLines,
        SpatialMaxLines = over.SpatialMaxLines ?? SpatialMaxLines,
        TemporalMinFps = over.TemporalMinFps ?? TemporalMinFps,
        TemporalMaxFps = over.TemporalMaxFps ?? TemporalMaxFps,
        BitDepth = over.BitDepth ?? BitDepth,
        ColorRange = over.ColorRange ?? ColorRange,
        VmafTarget = over.VmafTarget ?? VmafTarget,
        MaxFrametimeMs = over.MaxFrametimeMs ?? MaxFrametimeMs,
        BitrateCapKbps = over.BitrateCapKbps ?? BitrateCapKbps,
        PowerLimitW = over.PowerLimitW ?? PowerLimitW,
        MaxLatencyMs = over.MaxLatencyMs ?? MaxLatencyMs,
        DisableAdvancedAnalysis = over.DisableAdvancedAnalysis ?? DisableAdvancedAnalysis,
        EnableNvidiaReflex = over.EnableNvidiaReflex ?? EnableNvidiaReflex,
        EnableNvidiaAiq = over.EnableNvidiaAiq ?? EnableNvidiaAiq,
        EnableIntelVtd = over.EnableIntelVtd ?? EnableIntelVtd,
        BitrateBps = over.BitrateBps ?? BitrateBps,
    };

    /// <summary>
    /// The limits the engine works within for <paramref name="source"/> encoded by an encoder that takes
    /// <paramref name="codecDepths"/>. Settings that contradict each other or the encoder throw
    /// <see cref="AqsConfigException"/> with one line naming both.
    /// </summary>
    public ResolvedConfig Resolve(SourceInfo source, IReadOnlyCollection<int> codecDepths) => ConfigResolver.Resolve(this, source, codecDepths);

    /// <summary>Throws <see cref="AqsConfigException"/> for settings that contradict each other whatever the source.</summary>
    public void CheckContradictions() => ConfigResolver.CheckContradictions(this);
}

/// <summary>Sample range the encoder writes.</summary>
public enum ColorRangeChoice
{
    /// <summary>Limited ("TV", 16-235 at 8 bit).</summary>
    Limited,
    /// <summary>Full ("PC", 0-255 at 8 bit).</summary>
    Full,
}
