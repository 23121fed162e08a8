using Aqs.Kernel.Network.Transport;

namespace Aqs.Kernel.Network.Emulation.Simulation;

/// <summary>
/// The application on the sending side of a <see cref="ClosedLoopSimulation"/>: an encoder (real or modelled) and
/// whatever steers it. It sees the link as the encoder kernel does, through the snapshot the network kernel would
/// have published at the last feedback report.
/// </summary>
public interface ISimulatedSender
{
    /// <summary>Frame <paramref name="frame"/> is captured at <paramref name="nowUs"/>: how many bytes it encodes to (0: not sent).</summary>
    SimulatedFrame Capture(int frame, long nowUs, LinkSnapshot? link);

    /// <summary>Frame <paramref name="frame"/> became recoverable at the receiver at <paramref name="arrivalUs"/> (in time or late).</summary>
    void Delivered(int frame, long arrivalUs);
}

/// <summary>One encoded frame of a simulated sender.</summary>
public readonly record struct SimulatedFrame(int Bytes, bool Keyframe)
{
    public static SimulatedFrame Skipped => default;
}
