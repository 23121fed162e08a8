namespace Aqs.Kernel.Network.Estimation;

/// <summary>
/// Bandwidth-estimator knobs. Defaults follow libwebrtc's GCC (decrease to 0.85 × acked rate, probe clusters of
/// at least 5 packets and 15 ms, further probing at 2× a result that reached 70 % of its target) except where
/// our encoder differs: it always fills the estimate, so we probe periodically at 2× the estimate rather than
/// only when application-limited, and climb faster between probes.
/// </summary>
public sealed record BweSettings
{
    public double StartBps { get; init; } = 1_000_000;
    public double MinBps { get; init; } = 50_000;
    public double MaxBps { get; init; } = 100_000_000;

    /// <summary>Decrease to this share of the acked rate on overuse (GCC: 0.85).</summary>
    public double Beta { get; init; } = 0.85;

    public double MultiplicativeIncreasePerSecond { get; init; } = 0.50;

    /// <summary>Climb rate before the first overuse ever.</summary>
    public double StartupIncreasePerSecond { get; init; } = 1.0;
    public double AdditiveIncreaseFraction { get; init; } = 0.10;

    /// <summary>Bits of a typical packet (1200-byte payload plus headers) for the additive step and probe padding.</summary>
    public double PacketBits { get; init; } = 1260 * 8;

    public long AckedWindowUs { get; init; } = 500_000;

    /// <summary>Send probe clusters (padding or media at a higher rate) and take their receive rate as capacity.</summary>
    public bool Probing { get; init; } = true;

    /// <summary>Periodic probe target as a multiple of the current estimate.</summary>
    public double ProbeScale { get; init; } = 1.5;
    public long ProbeIntervalUs { get; init; } = 3_000_000;
    public long ProbeDurationUs { get; init; } = 30_000;
    public int ProbeMinPackets { get; init; } = 5;
    public long ProbeHoldAfterOveruseUs { get; init; } = 150_000;

    /// <summary>A result at least this share of its target means the link was not saturated: probe again at 2× it.</summary>
    public double ProbeContinueThreshold { get; init; } = 0.85;

    /// <summary>
    /// With the delay signal normal, the estimate is kept at least this share of the acked rate: what provably got
    /// through without building a queue is safe to ask for (a throughput bound on top of the AIMD).
    /// </summary>
    public double AckedFloor { get; init; } = 0.9;
}
