using Aqs.Engine;
using Aqs.Engine.Config;
using Aqs.Kernel.Encode.Tests.Infrastructure;
using Aqs.Kernel.Network.Emulation;

namespace Aqs.Kernel.Encode.Tests.Engine.Scenarios;

public class CapacityDropTests
{
    [Test]
    public void After_capacity_falls_from_20_to_3_mbit_the_stream_is_under_it_within_a_second_and_the_encoder_never_stalls()
    {
        const long stepUs = 8_000_000;
        var (result, sender) = Scenario.Run(TraceGenerator.Step(20e6, 3e6, (int)(stepUs / 1000), 14_000), AqsConfig.Empty, 14);

        var sentAfter = result.Samples.Where(s => s.TimeUs > stepUs + 1_000_000).ToList();
        var firstUnder = result.Samples.First(s => s.TimeUs > stepUs && s.SentBps < 3e6).TimeUs - stepUs;
        var over = sentAfter.Count(s => s.SentBps > 3e6) / (double)sentAfter.Count;
        var before = result.Samples.Where(s => s.TimeUs is > 5_000_000 and <= stepUs).Average(s => s.SentBps);
        var encoded = sender.Decisions.Where(d => d.Encode && d.TimestampNs > (stepUs - 1_000_000) * 1000).ToList();
        var longestGap = encoded.Zip(encoded.Skip(1), (a, b) => (b.TimestampNs - a.TimestampNs) / 1e6 - 1000 / b.Rung.Fps).Max();
        var ageAfter = result.DisplayAgePercentileMs(95, stepUs);
        var ageBefore = result.DisplayAgesBetween(2_000_000, stepUs).Order().ElementAt((int)(0.95 * result.DisplayAgesBetween(2_000_000, stepUs).Count()));
        TestContext.Out.WriteLine($"sent before {before / 1e6:F2} Mbit/s; under 3 Mbit/s {firstUnder / 1000} ms after the drop; from 1 s after: max {sentAfter.Max(s => s.SentBps) / 1e6:F2}, mean {sentAfter.Average(s => s.SentBps) / 1e6:F2}, {over:P0} of 100 ms windows above; " +
            $"longest extra gap between encoded frames {longestGap:F0} ms; on-screen age p95 before {ageBefore:F0} ms, after {ageAfter:F0} ms");

        Assert.Multiple(() =>
        {
            Assert.That(before, Is.GreaterThan(6e6), "the stream used the 20 Mbit/s link before the drop");
            Assert.That(firstUnder, Is.LessThanOrEqualTo(1_000_000), "under the new capacity within 1 s");
            Assert.That(sentAfter.Average(s => s.SentBps), Is.InRange(1.5e6, 3e6), "from then on under it on average, and still using it");
            Assert.That(over, Is.LessThan(0.15), "probing above it only now and then");
            Assert.That(sentAfter.Max(s => s.SentBps), Is.LessThan(1.3 * 3e6), "and never far above");
            Assert.That(longestGap, Is.LessThanOrEqualTo(1000 / 30.0 + 1), "no stall: frames keep leaving the encoder, at most one interval late");
            Assert.That(ageAfter, Is.LessThan(400), "the queue the drop caught in flight drains within a few hundred ms");
        });
    }
}
