using Aqs.Kernel.Network.FecPolicy;

namespace Aqs.Kernel.Network.Transport;

/// <summary>The send side's view of the link at one moment, for the NetworkStats it publishes to the encoder.</summary>
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
    public long BytesInFlight { get; init; }
    public long BytesSent { get; init; }
    public long FeedbackReports { get; init; }
    /// <summary>The emulated trace's capacity over the last second of stream time; NaN without one.</summary>
    public double EmulatedCapacityBps { get; init; }
}
