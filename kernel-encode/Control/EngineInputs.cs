using Aqs.Engine;
using Aqs.Shared.Contracts;

namespace Aqs.Kernel.Encode.Control;

/// <summary>The control-plane contracts as the engine's inputs: the one place their fields are mapped.</summary>
public static class EngineInputs
{
    public static NetworkConstraints From(NetworkStats s) => new()
    {
        TimestampNs = s.TimestampNs,
        EstimateBps = s.EstimatedBandwidthBps,
        DeliveryBps = s.DeliveryRateBps,
        LossRate = s.LossRate,
        RttMs = s.RttMs,
        JitterMs = s.JitterMs,
        QueueDelayMs = s.QueueDelayMs,
        StandingQueueMs = s.StandingQueueMs,
        AckedSendTimeNs = s.AckedSendTimeNs,
        BytesInFlight = s.BytesInFlight,
        FecOverhead = s.FecParityRatio,
        EmulatedCapacityBps = s.EmulatedCapacityBps,
    };

    public static QualitySample From(QualityFeedback f) => new()
    {
        TimestampNs = f.TimestampNs,
        FirstFrameId = f.FirstFrameId,
        LastFrameId = f.FrameId,
        Vmaf = f.Vmaf,
        Ssim = f.Ssim,
        LatencyMs = f.LatencyMs,
        LatencyP95Ms = f.LatencyP95Ms,
        Freezes = f.Freezes,
        FreezeMs = f.FreezeMs,
        Fps = f.Fps,
        FramesMeasured = f.FramesMeasured,
    };
}
