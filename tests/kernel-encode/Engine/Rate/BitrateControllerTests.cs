using Aqs.Engine.Rate;

namespace Aqs.Kernel.Encode.Tests.Engine.Rate;

public class BitrateControllerTests
{
    /// <summary>
    /// An encoder that makes <paramref name="gain"/> of what it is set to, reaching a new setting with a first-order lag
    /// (x264's VBV catching up), at 30 frames a second; the controller steers it for <paramref name="seconds"/>.
    /// Returns the measured rate and the setting per frame.
    /// </summary>
    private static List<(double Measured, double Setting)> Drive(BitrateController controller, Func<double, double> linkAt, double gain, double seconds)
    {
        const double fps = 30;
        var produced = linkAt(0);
        var trace = new List<(double, double)>();
        for (var frame = 0; frame < seconds * fps; frame++)
        {
            var now = (long)(frame * 1e9 / fps);
            var t = frame / fps;
            controller.Steer(linkAt(t), floorBps: 50_000, capBps: 50e6, reactionMs: 150, now);
            var setting = controller.Correct(controller.TargetBps, now);
            produced += (gain * setting - produced) * (1 - Math.Exp(-1 / fps / 0.3));
            controller.OnEncoded((int)(produced / 8 / fps), fps, keyframe: false, now);
            trace.Add((controller.MeasuredBps, setting));
        }
        return trace;
    }

    [TestCase(0.7)]
    [TestCase(1.3)]
    public void The_pid_brings_a_biased_encoder_to_the_target_without_sustained_oscillation(double gain)
    {
        var controller = new BitrateController(2e6);
        var trace = Drive(controller, t => t < 2 ? 2e6 : 4e6, gain, 10);

        var tail = trace.Skip(8 * 30).ToList();
        var settled = trace.Skip(2 * 30).Select((x, i) => (x.Measured, i)).FirstOrDefault(x => Math.Abs(x.Measured - 4e6) < 0.05 * 4e6).i / 30.0;
        var swing = tail.Max(x => x.Measured) - tail.Min(x => x.Measured);
        var overshoot = trace.Skip(2 * 30).Max(x => x.Measured) / 4e6 - 1;
        TestContext.Out.WriteLine($"gain {gain}: within 5 % of 4 Mbit/s after {settled:F2} s; overshoot {overshoot:P1}; last 2 s swing {swing / 1e3:F0} kbit/s; setting {tail[^1].Setting / 1e6:F2} Mbit/s");
        Assert.Multiple(() =>
        {
            Assert.That(tail.Average(x => x.Measured), Is.EqualTo(4e6).Within(2).Percent, "no steady-state error: the integral removes the bias");
            Assert.That(settled, Is.LessThan(3.0), "settles within 3 s of the step");
            Assert.That(overshoot, Is.LessThan(0.2));
            Assert.That(swing, Is.LessThan(0.02 * 4e6), "no sustained oscillation");
        });
    }

    [Test]
    public void The_target_falls_within_the_reaction_time_and_climbs_over_seconds()
    {
        var controller = new BitrateController(4e6);
        var trace = new List<double>();
        for (var frame = 0; frame < 120; frame++)
        {
            var now = (long)(frame * 1e9 / 30);
            controller.Steer(frame < 30 ? 4e6 : frame < 60 ? 1e6 : 4e6, 50_000, 50e6, reactionMs: 150, now);
            trace.Add(controller.TargetBps);
        }
        Assert.Multiple(() =>
        {
            Assert.That(trace[30 + 5], Is.LessThan(1.2e6), "down within 150 ms (5 frames)");
            Assert.That(trace[60 + 5], Is.LessThan(2e6), "up slowly: not within 150 ms");
            Assert.That(trace[^1], Is.GreaterThan(3.5e6), "up within a second or two");
        });
    }

    [Test]
    public void The_integral_does_not_wind_up_while_the_output_is_pinned_at_its_cap()
    {
        var controller = new BitrateController(2e6);
        var integrals = new List<double>();
        // An encoder that cannot make more than 1 Mbit/s whatever it is set to (still content at its lowest QP).
        for (var frame = 0; frame < 300; frame++)
        {
            var now = (long)(frame * 1e9 / 30);
            controller.Steer(2e6, 50_000, 50e6, 150, now);
            controller.Correct(2e6, now);
            controller.OnEncoded((int)(1e6 / 8 / 30), 30, false, now);
            integrals.Add(controller.Pid.Integral);
        }
        Assert.Multiple(() =>
        {
            Assert.That(controller.OutputBps, Is.EqualTo(2e6 * 1.6).Within(1).Percent, "pinned at 1.6x the wanted rate");
            Assert.That(integrals[^1], Is.EqualTo(integrals[150]), "the integral stopped growing once the output was pinned");
        });
    }
}
