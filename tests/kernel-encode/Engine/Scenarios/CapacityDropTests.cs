using Aqs.Engine;
using Aqs.Engine.Config;
using Aqs.Kernel.Encode.Tests.Infrastructure;
using Aqs.Kernel.Network.Emulation;

namespace Aqs.Kernel.Encode.Tests.Engine.Scenarios;

public class CapacityDropTests
{
    [Test]
    public void After_capacity_falls_from_20_to_3_mbit_the_stream_is_under_it_within_a_second_and_never_stalls()
    {
        const long stepUs = 8_000_000;
        var (result, sender) = Scenario.Run(TraceGenerator.Step(20e6, 3e6, (int)(stepUs / 1000), 14_000), AqsConfig.Empty, 14);

        var sentAfter = result.Samples.Where(s => s.TimeUs > stepUs + 1_000_000).ToList();
        var before = result.Samples.Where(s => s.TimeUs is > 5_000_000 and <= stepUs).Average(s => s.SentBps);
        var presented = result.PresentedAtUs;
        var longestGapAfterStep = presented.Zip(presented.Skip(1), (a, b) => (At: b, Gap: b - a)).Where(g => g.At > stepUs).Max(g => g.Gap);
        var interval = sender.Decisions.Where(d => d.TimestampNs > stepUs * 1000).Max(d => 1e6 / d.Rung.Fps);
        TestContext.Out.WriteLine($"sent before {before / 1e6:F2} Mbit/s; after +1 s: max {sentAfter.Max(s => s.SentBps) / 1e6:F2}, mean {sentAfter.Average(s => s.SentBps) / 1e6:F2}; " +
            $"longest gap between presented frames after the step {longestGapAfterStep / 1000.0:F0} ms (frame interval {interval / 1000:F0} ms); age p95 after {result.DisplayAgePercentileMs(95, stepUs):F0} ms");

        Assert.Multiple(() =>
        {
            Assert.That(before, Is.GreaterThan(6e6), "the stream used the 20 Mbit/s link before the drop");
            Assert.That(sentAfter.Max(s => s.SentBps), Is.LessThan(3e6), "every 100 ms from 1 s after the drop on is under the new capacity");
            Assert.That(longestGapAfterStep, Is.LessThanOrEqualTo(2 * interval), "no stall: no gap longer than one frame interval beyond the regular one");
        });
    }
}
