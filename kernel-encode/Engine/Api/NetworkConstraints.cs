namespace Aqs.Engine;

/// <summary>
/// What the network kernel last measured of the link (the seed's <c>NetworkConstraints</c>), in wire bits unless
/// said otherwise. Times are on the host's monotonic clock, in ns.
/// </summary>
public readonly record struct NetworkConstraints
{
    public long TimestampNs { get; init; }
    /// <summary>The bandwidth estimate (delay and loss based), bit/s on the wire.</summary>
    public double EstimateBps { get; init; }
    /// <summary>What the receiver acknowledged recently, bit/s; the link's capacity while a queue stands.</summary>
    public double DeliveryBps { get; init; }
    public double LossRate { get; init; }
    public double RttMs { get; init; }
    public double JitterMs { get; init; }
    /// <summary>Queueing delay of the newest acknowledged packet, ms.</summary>
    public double QueueDelayMs { get; init; }
    /// <summary>The least queueing delay of the last 100 ms of acknowledged packets: above a few ms, the link is saturated.</summary>
    public double StandingQueueMs { get; init; }
    /// <summary>When that packet was sent (ns, same clock); 0 when unknown.</summary>
    public long AckedSendTimeNs { get; init; }
    /// <summary>Wire bytes sent after that packet, as the network kernel saw them when it measured.</summary>
    public long BytesInFlight { get; init; }
    /// <summary>Parity packets per media packet the network kernel spends (FEC overhead).</summary>
    public double FecOverhead { get; init; }
    /// <summary>Capacity of an emulated link, bit/s (NaN on a real one): for logs, never for decisions.</summary>
    public double EmulatedCapacityBps { get; init; }
}
