using Aqs.Kernel.Network.Estimation;
using Aqs.Kernel.Network.FecPolicy;
using Aqs.Shared.Contracts;

namespace Aqs.Kernel.Network.Transport;

/// <summary>
/// The send side's view of the link at one moment: what Kernel A publishes to the encoder as NetworkStats, and what
/// the closed-loop simulation hands its simulated encoder. Times are on the send side's clock.
/// </summary>
public readonly record struct LinkSnapshot
{
    /// <summary>The bandwidth estimate, bit/s on the wire.</summary>
    public double EstimateBps { get; init; }
    public LinkState Link { get; init; }
    /// <summary>What the receiver acknowledged over the acked-rate window, bit/s (0 until known).</summary>
    public double DeliveryBps { get; init; }
    /// <summary>What left this side over the last 500 ms, bit/s.</summary>
    public double SendBps { get; init; }
    public double QueueDelayMs { get; init; }
    /// <summary>The least queueing delay of the last 100 ms of arrivals: a queue every packet met, not one frame's burst.</summary>
    public double StandingQueueMs { get; init; }
    /// <summary>Send time of the newest acknowledged packet (this side's clock, µs; long.MinValue until one).</summary>
    public long AckedSendUs { get; init; }
    public long BytesInFlight { get; init; }
    public long BytesSent { get; init; }
    public long FeedbackReports { get; init; }
    /// <summary>The emulated trace's capacity over the last second of stream time; NaN without one.</summary>
    public double EmulatedCapacityBps { get; init; }
    /// <summary>Parity per media packet over the last few frames (what FEC costs now).</summary>
    public double FecOverhead { get; init; }

    /// <summary>The estimator's state now (the caller holds whatever lock guards it).</summary>
    public static LinkSnapshot Of(GccBandwidthEstimator bwe, double sendBps, double capacityBps, double fecOverhead) => new()
    {
        FecOverhead = fecOverhead,
        EstimateBps = bwe.EstimateBps,
        Link = bwe.LinkState,
        DeliveryBps = bwe.AckedBps ?? 0,
        QueueDelayMs = bwe.QueueDelay.QueueDelayUs / 1000.0,
        StandingQueueMs = bwe.QueueDelay.StandingQueueUs / 1000.0,
        AckedSendUs = bwe.QueueDelay.LatestSendUs,
        BytesInFlight = bwe.BytesInFlight,
        BytesSent = bwe.BytesSent,
        SendBps = sendBps,
        FeedbackReports = bwe.FeedbackReports,
        EmulatedCapacityBps = capacityBps,
    };

    /// <summary>
    /// The link part of the NetworkStats the encoder gets (<paramref name="clockUsToNs"/> turns this side's µs into the
    /// encoder's ns clock: ×1000 in the kernel, the simulation's own offset in tests); counters are the caller's to add.
    /// </summary>
    public NetworkStats ToNetworkStats(long timestampNs, Func<long, long>? clockUsToNs = null) => new()
    {
        TimestampNs = timestampNs,
        EstimatedBandwidthBps = EstimateBps,
        SendRateBps = SendBps,
        DeliveryRateBps = DeliveryBps,
        QueueDelayMs = QueueDelayMs,
        StandingQueueMs = StandingQueueMs,
        AckedSendTimeNs = AckedSendUs == long.MinValue ? 0 : clockUsToNs?.Invoke(AckedSendUs) ?? AckedSendUs * 1000,
        BytesInFlight = BytesInFlight,
        BytesSent = BytesSent,
        EmulatedCapacityBps = EmulatedCapacityBps,
        LossRate = Link.LossRate,
        JitterMs = Link.JitterMs,
        RttMs = Link.RttMs,
        FecParityRatio = FecOverhead,
    };
}
