using MessagePack;

namespace Aqs.Shared.Contracts;

/// <summary>
/// Transport measurements kernel A (network) publishes for the engine in kernel C, at every receiver feedback
/// report (about every 50 ms) and at least every 100 ms. Version 2 separates what was sent from what the
/// receiver got, and adds the bytes in flight, the measured queueing delay and the emulated capacity.
/// </summary>
[MessagePackObject]
public sealed record NetworkStats : IControlContract
{
    public const int CurrentSchemaVersion = 2;

    [Key(0)] public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    /// <summary>When it was measured, on <see cref="Timing.MonotonicClock"/>.</summary>
    [Key(1)] public long TimestampNs { get; init; }
    /// <summary>The bandwidth estimate (delay- and loss-based, GCC style), bit/s on the wire.</summary>
    [Key(2)] public double EstimatedBandwidthBps { get; init; }
    /// <summary>What left the sender over the last ~500 ms (media, parity, resends), bit/s on the wire.</summary>
    [Key(3)] public double SendRateBps { get; init; }
    /// <summary>Fraction of packets lost in the last feedback window, 0..1.</summary>
    [Key(4)] public double LossRate { get; init; }
    /// <summary>Fraction of losses that came in runs (bursts), 0..1; FEC copes worse with these.</summary>
    [Key(5)] public double BurstLossRate { get; init; }
    [Key(6)] public double JitterMs { get; init; }
    [Key(7)] public double RttMs { get; init; }
    /// <summary>One-way delay of the newest reported packet above the lowest seen recently: the bottleneck queue, in ms.</summary>
    [Key(8)] public double QueueDelayMs { get; init; }
    /// <summary>Parity packets per media packet currently sent.</summary>
    [Key(9)] public double FecParityRatio { get; init; }
    [Key(10)] public long PacketsSent { get; init; }
    [Key(11)] public long PacketsReceived { get; init; }
    [Key(12)] public long PacketsLost { get; init; }
    [Key(13)] public long PacketsRecovered { get; init; }
    [Key(14)] public long Retransmissions { get; init; }
    [Key(15)] public long FramesSent { get; init; }
    [Key(16)] public long FramesReceived { get; init; }
    [Key(17)] public long FramesLost { get; init; }
    [Key(18)] public long FramesLate { get; init; }
    /// <summary>Datagrams thrown away unread: failed authentication or malformed headers.</summary>
    [Key(19)] public long DroppedDatagrams { get; init; }
    /// <summary>What the receiver got over the last ~500 ms as its feedback reports it (acknowledged), bit/s; 0 until known.</summary>
    [Key(20)] public double DeliveryRateBps { get; init; }
    /// <summary>Wire bytes sent whose arrival the receiver has not reported yet (queued on the path or in flight).</summary>
    [Key(21)] public long BytesInFlight { get; init; }
    /// <summary>Capacity of the emulated link over the last second (bit/s), NaN when no trace is emulated.</summary>
    [Key(22)] public double EmulatedCapacityBps { get; init; } = double.NaN;
    /// <summary>Wire bytes sent in total (media, parity, resends, padding).</summary>
    [Key(23)] public long BytesSent { get; init; }
    /// <summary>
    /// When the newest packet the receiver acknowledged left the sender (sender's clock, ns; 0 until known): the
    /// moment <see cref="QueueDelayMs"/> describes, so the encoder can add what it sent since.
    /// </summary>
    [Key(24)] public long AckedSendTimeNs { get; init; }
    /// <summary>
    /// The least queueing delay among the packets acknowledged in the last 100 ms, ms: a queue every packet met (the
    /// link is saturated), as against the moment's queue a burst of one frame builds behind itself.
    /// </summary>
    [Key(25)] public double StandingQueueMs { get; init; }
}
