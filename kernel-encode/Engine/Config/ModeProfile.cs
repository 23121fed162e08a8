namespace Aqs.Engine.Config;

/// <summary>
/// A mode's defaults. Every user setting overrides its field; the rest come from here.
/// </summary>
/// <param name="TargetQueueMs">Queueing delay on the path the per-frame budget aims at: the latency knob.</param>
/// <param name="LatencyBudgetMs">What the mode promises capture to screen; frames that cannot make it are not sent.</param>
/// <param name="MinFps">Lowest frame rate the engine may choose (clamped to the source's).</param>
/// <param name="MaxFps">Highest frame rate (never above the source's).</param>
/// <param name="SpatialFloorLines">Fewest lines an encoded picture may have (0: half the source, the ladder's bottom).</param>
/// <param name="Priority">Which knob gives way first.</param>
/// <param name="ReactionMs">How long a need to go down must last before the rung drops.</param>
/// <param name="Lambda">VMAF points one Mbit/s must buy to be spent (J = D + λR, seed 3.2), at mean complexity.</param>
/// <param name="VmafTarget">Delivered VMAF the engine aims at; bits beyond it are saved when λ says so.</param>
/// <param name="Preset">The encoder speed preset to start from.</param>
/// <param name="Headroom">Share of the link estimate (after FEC) the media may fill.</param>
public sealed record ModeProfile(
    AqsMode Mode,
    double TargetQueueMs,
    double LatencyBudgetMs,
    double MinFps,
    double MaxFps,
    int SpatialFloorLines,
    KnobPriority Priority,
    double ReactionMs,
    double Lambda,
    double VmafTarget,
    string Preset,
    double Headroom)
{
    public static ModeProfile For(AqsMode mode) => mode switch
    {
        AqsMode.Quality => new(mode, TargetQueueMs: 25, LatencyBudgetMs: 400, MinFps: 30, MaxFps: 120, SpatialFloorLines: 0,
            KnobPriority.Balanced, ReactionMs: 150, Lambda: 0.3, VmafTarget: 95, Preset: "veryfast", Headroom: 0.85),
        AqsMode.Latency => new(mode, TargetQueueMs: 15, LatencyBudgetMs: 100, MinFps: 60, MaxFps: 120, SpatialFloorLines: 0,
            KnobPriority.KeepFrameRate, ReactionMs: 100, Lambda: 1.0, VmafTarget: 85, Preset: "superfast", Headroom: 0.8),
        AqsMode.Mobile => new(mode, TargetQueueMs: 50, LatencyBudgetMs: 300, MinFps: 30, MaxFps: 60, SpatialFloorLines: 0,
            KnobPriority.Balanced, ReactionMs: 300, Lambda: 3.0, VmafTarget: 85, Preset: "veryfast", Headroom: 0.85),
        AqsMode.Sports => new(mode, TargetQueueMs: 33, LatencyBudgetMs: 200, MinFps: 90, MaxFps: 120, SpatialFloorLines: 0,
            KnobPriority.KeepFrameRate, ReactionMs: 33, Lambda: 0.5, VmafTarget: 90, Preset: "superfast", Headroom: 0.85),
        AqsMode.Conference => new(mode, TargetQueueMs: 20, LatencyBudgetMs: 66, MinFps: 30, MaxFps: 30, SpatialFloorLines: 720,
            KnobPriority.KeepResolution, ReactionMs: 200, Lambda: 1.5, VmafTarget: 85, Preset: "veryfast", Headroom: 0.85),
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "not a mode"),
    };
}
