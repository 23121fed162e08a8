namespace Aqs.Engine.Config;

/// <summary>The limits and aims the engine works within, from <see cref="AqsConfig.Resolve"/>.</summary>
public sealed record ResolvedConfig
{
    public required bool Enabled { get; init; }
    public required ModeProfile Profile { get; init; }
    public AqsMode Mode => Profile.Mode;
    public required SourceInfo Source { get; init; }
    /// <summary>Encoded picture heights the engine may choose, largest first (widths keep the source's aspect).</summary>
    public required IReadOnlyList<int> Heights { get; init; }
    /// <summary>Frame rates the engine may choose, highest first: the source's divided by whole numbers.</summary>
    public required IReadOnlyList<double> FrameRates { get; init; }
    /// <summary>Bit depths the engine may choose, highest first.</summary>
    public required IReadOnlyList<int> BitDepths { get; init; }
    public required double VmafTarget { get; init; }
    public required double TargetQueueMs { get; init; }
    public required double LatencyBudgetMs { get; init; }
    /// <summary>Longest encode time per frame the user allows, ms (null: what the frame rate allows).</summary>
    public required double? MaxFrametimeMs { get; init; }
    public required long? BitrateCapBps { get; init; }
    public required long StartBitrateBps { get; init; }
    public required double? PowerLimitW { get; init; }
    public required ColorRangeChoice? ColorRange { get; init; }
    public required bool AdvancedAnalysis { get; init; }
    public required bool NvidiaReflex { get; init; }
    public required bool NvidiaAiq { get; init; }
    public required bool IntelVtd { get; init; }
    /// <summary>Adjustments made to fit the source (a floor above it, a minimum rate above its rate): said once, in words.</summary>
    public required IReadOnlyList<string> Notices { get; init; }
}
