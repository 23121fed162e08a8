using Aqs.Engine;
using Aqs.Engine.Config;
using Aqs.Kernel.Encode.Tests.Infrastructure;
using Aqs.Kernel.Network.Emulation;
using Aqs.Kernel.Network.Emulation.Simulation;
using Aqs.Kernel.Network.FecPolicy;

namespace Aqs.Kernel.Encode.Tests.Engine;

[Explicit("exploration")]
public class ExploreTests
{
    [TestCase("ATT-LTE-driving-2016.down", 24.5, 26.0)]
    public void Zoom(string name, double from, double to)
    {
        var trace = MahimahiTrace.Load(Path.Combine("/work/shared/data/traces", name));
        using var sender = new EngineSender(AqsConfig.Empty, 60, new ModelEncoder(), 1280, 720) { Script = (t, s) => s.Texture.Speed = 3 };
        var result = ClosedLoopSimulation.Run(new ClosedLoopOptions
        {
            Trace = trace, Impairment = ImpairmentSpec.Parse("delay:20ms"), DurationSeconds = to + 1, Sender = sender,
            Fec = new ResidualLossFecPolicy(), Bwe = new() { Probing = false }, PacingSpread = 0.5, PacingFactor = 2.5,
        });
        foreach (var (f, at) in sender.Deliveries.Where(x => x.ArrivalUs >= from * 1e6 && x.ArrivalUs < to * 1e6))
        {
            TestContext.Out.WriteLine($"d frame {f} captured {f / 60.0:F3} arrived {at / 1e6:F3} age {(at - f * 16_666.7) / 1000:F0}");
        }
        foreach (var d in sender.Decisions.Where(d => d.TimestampNs >= from * 1e9 && d.TimestampNs < to * 1e9))
        {
            var age = result.DisplayAgesBetween(d.TimestampNs / 1000, d.TimestampNs / 1000 + 16_667).FirstOrDefault(double.NaN);
            var cap = trace.CapacityBitsPerSecond((long)(d.TimestampNs / 1e6) - 100, (long)(d.TimestampNs / 1e6));
            TestContext.Out.WriteLine($"z {d.TimestampNs / 1e9:F3} cap100 {cap / 1e6,5:F2} {(d.Encode ? "ENC " : d.Skip.ToString()[..4])} br {d.BitrateBps / 1e6:F2} tgt {d.TargetBitrateBps / 1e6:F2} budget {d.FrameBudgetBytes,6} qnow {d.Inputs.QueueNowMs,4:F0} qrep {d.Inputs.QueueReportedMs,4:F0} drain {d.Inputs.DrainRateBps / 1e6:F2} est {d.Inputs.EstimateBps / 1e6:F2} del {d.Inputs.DeliveryBps / 1e6:F2} age {age:F0}");
        }
    }

    [TestCase("ATT-LTE-driving-2016.down", "temporal-min=60")]
    [TestCase("ATT-LTE-driving-2016.down", "mode=latency")]
    [TestCase("ATT-LTE-driving-2016.down", "spatial-scale=0.5")]
    [TestCase("ATT-LTE-driving-2016.down", "")]
    [TestCase("ATT-LTE-driving-2016.down", "x264")]
    [TestCase("TMobile-LTE-driving.down")]
    [TestCase("Verizon-LTE-short.down")]
    [TestCase("TMobile-UMTS-driving.down")]
    public void Trace(string name, string settings = "")
    {
        var config = AqsConfig.Empty;
        var x264 = settings.Contains("x264");
        foreach (var kv in settings.Replace("x264", "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = kv.Split('=');
            config = AqsSettings.Find(parts[0])!.Apply(config, parts[1]);
        }
        var path = Path.Combine("/work/shared/data/traces", name);
        var trace = MahimahiTrace.Load(path);
        AqsEngine? engine = null;
        using var real = x264 ? new X264SimEncoder(1280, 720, () => engine?.Config) : null;
        using var sender = new EngineSender(config, 60, real is null ? new ModelEncoder() : real, 1280, 720) { Script = (t, s) => s.Texture.Speed = 3 };
        engine = sender.Engine;
        var result = ClosedLoopSimulation.Run(new ClosedLoopOptions
        {
            Trace = trace, Impairment = ImpairmentSpec.Parse("delay:20ms"), DurationSeconds = 60, Sender = sender,
            Fec = new ResidualLossFecPolicy(), Bwe = new() { Probing = false }, PacingSpread = 0.5, PacingFactor = 2.5,
        });
        var sent = result.Samples.Where(s => s.TimeUs > 1_000_000).Average(s => s.SentBps);
        var cap = result.Samples.Where(s => !double.IsNaN(s.CapacityBps)).Average(s => s.CapacityBps);
        TestContext.Out.WriteLine($"{name} [{settings}]: age p50 {result.DisplayAgePercentileMs(50):F0} p95 {result.DisplayAgePercentileMs(95):F0} p99 {result.DisplayAgePercentileMs(99):F0} ms; sent {sent / 1e6:F2} of capacity {cap / 1e6:F2} Mbit/s; freezes {result.Freezes()}; skipped {result.FramesSkipped} decimated {sender.Engine.FramesDecimated} budget {sender.Engine.FramesSkippedForBudget}; switches {sender.Engine.RungSwitches}");
        for (var sec = 0; sec < 60; sec++)
        {
            var ages = result.DisplayAgesBetween(sec * 1_000_000L, (sec + 1) * 1_000_000L).ToList();
            var samples = result.Samples.Where(x => x.TimeUs > sec * 1_000_000L && x.TimeUs <= (sec + 1) * 1_000_000L).ToList();
            var ds = sender.Decisions.Where(d => d.TimestampNs >= sec * 1_000_000_000L && d.TimestampNs < (sec + 1) * 1_000_000_000L).ToList();
            TestContext.Out.WriteLine($"t{sec,3} cap {samples.LastOrDefault().CapacityBps / 1e6,5:F2} sent {samples.Average(x => x.SentBps) / 1e6,5:F2} est {samples.Average(x => x.EstimateBps) / 1e6,5:F2} age max {(ages.Count > 0 ? ages.Max() : 0),5:F0} mean {(ages.Count > 0 ? ages.Average() : 0),5:F0} | enc {ds.Count(d => d.Encode),2} budgetskip {ds.Count(d => d.Skip == Aqs.Engine.SkipReason.LinkBudget),2} rung {ds.LastOrDefault()?.Rung} br {ds.Average(d => d.BitrateBps) / 1e6:F2} qmax {ds.Max(d => d.Inputs.QueueNowMs):F0} qrep {ds.Max(d => d.Inputs.QueueReportedMs):F0}");
        }
    }
}
