using Aqs.Engine.Config;
using Aqs.Kernel.Encode.Tests.Infrastructure;
using Aqs.Kernel.Network.Emulation;

namespace Aqs.Kernel.Encode.Tests.Engine.Scenarios;

public class ModeScenarioTests
{
    private static AqsConfig Mode(string mode) => AqsSettings.Find("mode")!.Apply(AqsConfig.Empty, mode);

    [Test]
    public void Sports_holds_at_least_90_fps_when_motion_picks_up_and_lets_resolution_give_way()
    {
        // A 120 fps source on a 6 Mbit/s link: calm for 4 s, then a fast pan.
        var (_, sender) = Scenario.Run(TraceGenerator.Constant(6e6, 12_000), Mode("sports"), 12, fps: 120,
            script: (t, s) => s.Texture.Speed = t < 4_000_000 ? 0.5 : 12);

        var calm = sender.Decisions.Where(d => d.TimestampNs is > 2_000_000_000 and < 4_000_000_000 && d.Encode).ToList();
        var fast = sender.Decisions.Where(d => d.TimestampNs > 7_000_000_000 && d.Encode).ToList();
        TestContext.Out.WriteLine($"calm: {calm.GroupBy(d => d.Rung).Select(g => $"{g.Key} x{g.Count()}").Aggregate((a, b) => a + ", " + b)}");
        TestContext.Out.WriteLine($"fast: {fast.GroupBy(d => d.Rung).Select(g => $"{g.Key} x{g.Count()}").Aggregate((a, b) => a + ", " + b)}");
        Assert.Multiple(() =>
        {
            Assert.That(fast.Min(d => d.Rung.Fps), Is.GreaterThanOrEqualTo(90), "motion priority keeps the frame rate");
            Assert.That(fast.Average(d => d.Rung.Height), Is.LessThan(calm.Average(d => d.Rung.Height)), "resolution gives way instead");
        });
    }

    [Test]
    public void Conference_never_goes_below_720p_and_keeps_its_latency_budget_on_a_link_that_allows_it()
    {
        var (result, sender) = Scenario.Run(TraceGenerator.Constant(2.5e6, 10_000), Mode("conference"), 10, fps: 30,
            impairment: "delay:10ms", script: (_, s) => s.Texture.Speed = 1);
        var p95 = result.DisplayAgePercentileMs(95, 2_000_000);
        TestContext.Out.WriteLine($"rungs {string.Join(", ", sender.Decisions.Where(d => d.Encode).Select(d => d.Rung).Distinct())}; on-screen age p95 {p95:F0} ms");
        Assert.Multiple(() =>
        {
            Assert.That(sender.Decisions.Min(d => d.Rung.Height), Is.EqualTo(720));
            Assert.That(p95, Is.LessThanOrEqualTo(66), "capture to screen, as the simulation sees it (no codec time)");
        });
    }

    [Test]
    public void A_scene_cut_starts_with_a_keyframe()
    {
        var (_, sender) = Scenario.Run(TraceGenerator.Constant(5e6, 6_000), AqsConfig.Empty, 6,
            script: (t, s) =>
            {
                s.Texture.Speed = 2;
                if (t is >= 3_000_000 and < 3_016_000)
                {
                    s.Texture.Cut();
                }
            });
        var cutFrame = sender.Decisions.First(d => d.Content.SceneChange);
        var keyframe = sender.Decisions.First(d => d.TimestampNs >= cutFrame.TimestampNs && d.Encode);
        Assert.Multiple(() =>
        {
            Assert.That(cutFrame.TimestampNs / 1e9, Is.EqualTo(3.0).Within(0.05), "the analysis found the cut where it was");
            Assert.That(keyframe.ForceKeyframe, Is.True);
            Assert.That(keyframe.Reason, Does.Contain("scene cut"));
            Assert.That(sender.Decisions.Count(d => d.Content.SceneChange), Is.EqualTo(1), "one cut, one scene change");
        });
    }

    [Test]
    public void Encode_time_over_the_frame_budget_halves_the_frame_rate_within_half_a_second_and_it_comes_back_when_load_drops()
    {
        // Still content on a roomy link, with a VMAF target high enough to want every bit: once the stream has climbed,
        // the balanced quality mode runs 60 fps, and its first step under load is temporal. The encoder slows down
        // from 8 s to 11 s (25 ms a frame: over the 14.2 ms 60 fps allows).
        var config = AqsSettings.Find("vmaf-target")!.Apply(AqsConfig.Empty, "99");
        var (_, sender) = Scenario.Run(TraceGenerator.Constant(30e6, 16_000), config, 16,
            script: (t, s) =>
            {
                s.Texture.Speed = 0.2;
                s.EncodeMs = t is >= 8_000_000 and < 11_000_000 ? 25 : 4;
            });
        foreach (var d in sender.Decisions.Where((d, i) => d.TimestampNs > 10e9 && (i % 30 == 0 || (d.Changed && d.Reason != "steady"))))
        {
            TestContext.Out.WriteLine($"DBG {d.TimestampNs / 1e9:F2} {d.Rung} {d.BitrateBps / 1e6:F2} tgt {d.TargetBitrateBps / 1e6:F2} pred {d.PredictedVmaf:F1} est {d.Inputs.EstimateBps / 1e6:F2} del {d.Inputs.DeliveryBps / 1e6:F2} m {d.Content.Motion:F2} c {d.Content.Complexity:F2}: {d.Reason}");
        }
        var before = sender.Decisions.Where(d => d.TimestampNs is > 7_000_000_000 and < 8_000_000_000).Max(d => d.Rung.Fps);
        var down = sender.Decisions.First(d => d.TimestampNs > 8_000_000_000 && d.Rung.Fps < before);
        var back = sender.Decisions.FirstOrDefault(d => d.TimestampNs > 11_000_000_000 && d.Rung.Fps == before);
        TestContext.Out.WriteLine($"{before} fps; down to {down.Rung.Fps} at {down.TimestampNs / 1e9:F2} s ({down.Reason}); back at {back?.TimestampNs / 1e9:F2} s ({back?.Reason})");
        Assert.Multiple(() =>
        {
            Assert.That(before, Is.EqualTo(60));
            Assert.That(down.Rung.Fps, Is.EqualTo(30));
            Assert.That(down.TimestampNs / 1e9 - 8, Is.LessThanOrEqualTo(0.5), "temporal downsample within 0.5 s");
            Assert.That(back, Is.Not.Null, "the frame rate comes back when the load drops");
            Assert.That(back!.TimestampNs / 1e9 - 11, Is.LessThanOrEqualTo(4));
        });
    }
}
