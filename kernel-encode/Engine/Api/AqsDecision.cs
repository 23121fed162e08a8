using Aqs.Engine.Analysis;

namespace Aqs.Engine;

/// <summary>
/// What the engine decided for one source frame (the seed's <c>aqs_process_frame</c> result): whether to encode it,
/// at which rung, bitrate and preset, whether as a keyframe, and how large it may be. <see cref="Changed"/> marks a
/// decision worth telling the others about (a knob moved, a keyframe, a periodic refresh); <see cref="Reason"/> says why.
/// </summary>
public sealed record AqsDecision
{
    public required long FrameId { get; init; }
    public required long TimestampNs { get; init; }
    public required bool Encode { get; init; }
    public required SkipReason Skip { get; init; }
    public required Rung Rung { get; init; }
    /// <summary>Media bitrate the encoder is set to.</summary>
    public required long BitrateBps { get; init; }
    /// <summary>Media bitrate the link supports after FEC and headroom (the PID's target).</summary>
    public required long TargetBitrateBps { get; init; }
    /// <summary>Largest encoded frame the link takes now without building a queue past the target, bytes (0: no report yet).</summary>
    public required int FrameBudgetBytes { get; init; }
    public required string Preset { get; init; }
    public required bool ForceKeyframe { get; init; }
    /// <summary>This frame starts a new rung: a new encoder (opened ahead) and a keyframe.</summary>
    public required bool RungChanged { get; init; }
    /// <summary>Rungs worth opening encoders for ahead of a switch (the current one's neighbours).</summary>
    public required IReadOnlyList<Rung> Neighbours { get; init; }
    public required double PredictedVmaf { get; init; }
    public required ContentMetrics Content { get; init; }
    public required bool Changed { get; init; }
    public required string Reason { get; init; }
    public required string Mode { get; init; }
    /// <summary>The inputs the decision was made on (for the log).</summary>
    public required DecisionInputs Inputs { get; init; }
}

/// <summary>The figures a decision was made on, as the engine held them at that moment (NaN: not known).</summary>
public readonly record struct DecisionInputs(
    double EstimateBps,
    double DeliveryBps,
    double DrainRateBps,
    double QueueReportedMs,
    double QueueNowMs,
    double LossRate,
    double RttMs,
    double FecOverhead,
    double CapacityBps,
    double DeliveredVmaf,
    double DeliveredSsim,
    double DeliveredLatencyP95Ms,
    double EncodeMs,
    double MeasuredBitrateBps,
    double InputQueueFill,
    double ProcessCpuCores,
    double MachineCpu,
    double GpuUtilization,
    double PowerW);
