using Aqs.Kernel.Network.Estimation;
using Aqs.Kernel.Network.FecPolicy;

namespace Aqs.Kernel.Network.Emulation.Simulation;

/// <summary>Scenario for <see cref="ClosedLoopSimulation"/>.</summary>
public sealed record ClosedLoopOptions
{
    /// <summary>Forward-path impairments (its TracePath is ignored: pass <see cref="Trace"/>).</summary>
    public ImpairmentSpec Impairment { get; init; } = ImpairmentSpec.None;
    public MahimahiTrace? Trace { get; init; }
    public double DurationSeconds { get; init; } = 10;
    public int FramesPerSecond { get; init; } = 60;

    /// <summary>Parity policy, or null for FEC off.</summary>
    public IFecPolicy? Fec { get; init; }
    public BweSettings Bwe { get; init; } = new();

    /// <summary>Frame payload per datagram; parity shards have the same size.</summary>
    public int ShardBytes { get; init; } = 1200;

    /// <summary>Wire overhead per datagram (our header + auth tag + UDP/IP).</summary>
    public int HeaderBytes { get; init; } = 60;

    /// <summary>A frame counts only if recoverable within this long of its capture.</summary>
    public long FrameDeadlineUs { get; init; } = 400_000;
    public int KeyframeIntervalFrames { get; init; } = 120;
    public double KeyframeSizeFactor { get; init; } = 4;

    /// <summary>Delta-frame sizes vary uniformly by ± this share.</summary>
    public double FrameSizeVariation { get; init; } = 0.3;

    /// <summary>Pacer rate as a multiple of the estimate (libwebrtc uses 2.5).</summary>
    public double PacingFactor { get; init; } = 1.5;

    /// <summary>
    /// As Kernel A's sender (SenderOptions.PacingSpread): the pacer never holds more than this share of a frame
    /// interval, whatever the estimate, so an application that sends above the estimate is not queued at the sender.
    /// Null keeps the plain estimate-bound pacer the estimator benchmarks were measured with.
    /// </summary>
    public double? PacingSpread { get; init; }

    /// <summary>Frames are skipped (as an encoder would) while the pacer holds more than this much send time.</summary>
    public long MaxPacerDelayUs { get; init; } = 300_000;

    public long SampleIntervalUs { get; init; } = 100_000;

    /// <summary>
    /// The sending application; null keeps the built-in one (frames sized to the estimate, skipped while the pacer
    /// holds more than <see cref="MaxPacerDelayUs"/>).
    /// </summary>
    public ISimulatedSender? Sender { get; init; }

    /// <summary>How often the simulated display looks at the newest delivered frame, µs (60 Hz).</summary>
    public long DisplayRefreshUs { get; init; } = 16_667;
    public ulong Seed { get; init; } = 7;
}
