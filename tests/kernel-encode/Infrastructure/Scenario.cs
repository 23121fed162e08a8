using Aqs.Engine.Config;
using Aqs.Kernel.Network.Emulation;
using Aqs.Kernel.Network.Emulation.Simulation;
using Aqs.Kernel.Network.FecPolicy;

namespace Aqs.Kernel.Encode.Tests.Infrastructure;

/// <summary>
/// One engine scenario over the closed-loop simulation: the sender as Kernel A's (pacing at 2.5x the estimate, at
/// most half a frame interval a frame, no padding probes, our FEC policy), 20 ms each way unless said otherwise.
/// </summary>
internal static class Scenario
{
    public static (ClosedLoopResult Result, EngineSender Sender) Run(MahimahiTrace trace, AqsConfig config, double seconds,
        int fps = 60, int width = 1280, int height = 720, Action<long, EngineSender>? script = null, ISimEncoder? encoder = null,
        Func<Aqs.Engine.Rung, long, double>? oracle = null, string impairment = "delay:20ms")
    {
        var sender = new EngineSender(config, fps, encoder ?? new ModelEncoder(), width, height)
        {
            Script = script ?? ((_, s) => s.Texture.Speed = 2),
            QualityOracle = oracle,
        };
        var result = ClosedLoopSimulation.Run(new ClosedLoopOptions
        {
            Trace = trace,
            Impairment = ImpairmentSpec.Parse(impairment),
            DurationSeconds = seconds,
            FramesPerSecond = fps,
            Sender = sender,
            Fec = new ResidualLossFecPolicy(),
            Bwe = new() { Probing = false },
            PacingFactor = 2.5,
            PacingSpread = 0.5,
        });
        return (result, sender);
    }
}
