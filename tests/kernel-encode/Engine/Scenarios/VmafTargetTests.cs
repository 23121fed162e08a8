using Aqs.Engine;
using Aqs.Engine.Config;
using Aqs.Kernel.Encode.Tests.Infrastructure;
using Aqs.Kernel.Network.Emulation;

namespace Aqs.Kernel.Encode.Tests.Engine.Scenarios;

public class VmafTargetTests
{
    /// <summary>
    /// A display whose VMAF is not the engine's prior (harder content, a flatter upscaling loss, 4 points lower):
    /// the engine must learn it from the feedback to hold the target.
    /// </summary>
    private static double Display(Rung rung, long bitrate)
    {
        var bpp = bitrate / (double)rung.PixelsPerSecond;
        var upscaleLoss = 1 - 0.3 * (1 - rung.Height / 720.0);
        return Math.Clamp(100 * (1 - Math.Exp(-7.93 * Math.Pow(bpp / 1.2, 0.434))) * upscaleLoss - 4 - 1.5 * (rung.Decimation - 1), 0, 100);
    }

    [Test]
    public void A_vmaf_target_of_93_is_held_within_2_at_the_lowest_bitrate_that_reaches_it()
    {
        var config = AqsSettings.Find("vmaf-target")!.Apply(AqsConfig.Empty, "93");
        var (result, sender) = Scenario.Run(TraceGenerator.Constant(20e6, 30_000), config, 30, oracle: Display);

        var late = sender.DeliveredQuality.Where(q => q.TimeUs > 15_000_000).ToList();
        var mean = late.Average(q => q.Vmaf);
        var bitrate = sender.Decisions.Where(d => d.TimestampNs > 15_000_000_000 && d.Encode).Average(d => (double)d.BitrateBps);
        var sent = result.Samples.Where(s => s.TimeUs > 15_000_000).Average(s => s.SentBps);
        var rung = sender.Decisions.Last(d => d.Encode).Rung;
        // What the lowest bitrate reaching 93 is at that rung, from the display's own curve.
        var lowest = Enumerable.Range(1, 400).Select(k => k * 50_000L).First(b => Display(rung, b) >= 93);
        TestContext.Out.WriteLine($"delivered VMAF {mean:F2} at {bitrate / 1e6:F2} Mbit/s on {rung} (sent {sent / 1e6:F2} of 20 Mbit/s); the lowest reaching 93 there is {lowest / 1e6:F2}");
        Assert.Multiple(() =>
        {
            Assert.That(mean, Is.EqualTo(93).Within(2));
            Assert.That(bitrate, Is.LessThan(1.3 * lowest), "no more bits than the target needs");
            Assert.That(sent, Is.LessThan(0.75 * 20e6), "the link had room for more: the target, not the link, set the bitrate");
        });
    }
}
