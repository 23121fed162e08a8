namespace Aqs.Kernel.Network.Estimation;

/// <summary>
/// A probe the sender should send now: <see cref="Packets"/> datagrams (media if any is waiting, else padding)
/// back to back at <see cref="TargetBps"/>, each recorded with <see cref="Id"/> so that the receive rate of the
/// cluster can be measured from feedback (libwebrtc's PacedPacketInfo probe cluster).
/// </summary>
public readonly record struct ProbeCluster(int Id, double TargetBps, int Packets, int PacketBytes)
{
    /// <summary>Spacing between the cluster's datagrams at its target rate, µs.</summary>
    public long IntervalUs => (long)(PacketBytes * 8.0 * 1_000_000 / TargetBps);
}
