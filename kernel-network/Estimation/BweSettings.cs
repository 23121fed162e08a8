namespace Aqs.Kernel.Network.Estimation;

/// <summary>
/// Bandwidth-estimator knobs. Defaults follow libwebrtc's GCC except where our tracking requirement
/// (80 % of a raised capacity within 5 s, without probing) needs a faster climb: libwebrtc increases
/// 8 %/s and adds about one packet per response time near capacity, and relies on probe bursts to find
/// a raised capacity; we do not probe, so we climb 100 %/s until the first overuse, 50 %/s far from the
/// last measured capacity and 10 % of the rate per second near it.
/// </summary>
public sealed record BweSettings
{
    public double StartBps { get; init; } = 1_000_000;
    public double MinBps { get; init; } = 50_000;
    public double MaxBps { get; init; } = 100_000_000;

    /// <summary>Decrease to this share of the acked rate on overuse (GCC: 0.85).</summary>
    public double Beta { get; init; } = 0.85;

    public double MultiplicativeIncreasePerSecond { get; init; } = 0.50;

    /// <summary>Climb rate before the first overuse ever (stands in for libwebrtc's start-up probes).</summary>
    public double StartupIncreasePerSecond { get; init; } = 1.0;
    public double AdditiveIncreaseFraction { get; init; } = 0.10;

    /// <summary>Bits of a typical packet (1200-byte payload plus headers) for the additive step.</summary>
    public double PacketBits { get; init; } = 1250 * 8;

    public long AckedWindowUs { get; init; } = 250_000;
}
