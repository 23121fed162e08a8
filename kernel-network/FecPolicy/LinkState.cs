namespace Aqs.Kernel.Network.FecPolicy;

/// <summary>
/// What the sender knows about the path when it picks parity: long-run packet loss rate (0..1), mean
/// loss-burst length in packets (1 = independent losses), RFC 3550 jitter and smoothed RTT in ms.
/// </summary>
public readonly record struct LinkState(double LossRate, double MeanBurstLength, double JitterMs, double RttMs)
{
    public static LinkState Perfect => new(0, 1, 0, 0);
}
