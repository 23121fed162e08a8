using MessagePack;

namespace Aqs.Shared.Contracts;

/// <summary>Transport measurements kernel A (network) publishes for the engine in kernel C.</summary>
[MessagePackObject]
public sealed record NetworkStats : IControlContract
{
    public const int CurrentSchemaVersion = 1;

    [Key(0)] public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    /// <summary>When it was measured, on <see cref="Timing.MonotonicClock"/>.</summary>
    [Key(1)] public long TimestampNs { get; init; }
    [Key(2)] public double EstimatedBandwidthBps { get; init; }
    [Key(3)] public double SendRateBps { get; init; }
    /// <summary>Fraction of packets lost in the last feedback window, 0..1.</summary>
    [Key(4)] public double LossRate { get; init; }
    /// <summary>Fraction of losses that came in runs (bursts), 0..1; FEC copes worse with these.</summary>
    [Key(5)] public double BurstLossRate { get; init; }
    [Key(6)] public double JitterMs { get; init; }
    [Key(7)] public double RttMs { get; init; }
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
}
