using Aqs.Engine.Config;
using Aqs.Engine.Load;

namespace Aqs.Kernel.Encode.Tests.Engine.Load;

public class LoadGovernorTests
{
    private const long Ms = 1_000_000;
    private static readonly ResolvedConfig Config = AqsConfig.Empty.Resolve(new SourceInfo(1280, 720, 60, 8), [8, 10]);

    [Test]
    public void A_frame_rate_step_caps_the_pixel_rate_at_half_of_what_overloaded_the_encoder_until_it_is_undone()
    {
        var governor = new LoadGovernor("veryfast");
        const double pixels = 640 * 360 * 60.0;
        (LoadStep Step, bool Undo, string Why)? taken = null;
        // 30 ms a frame at 60 fps (16.7 ms allowed) for long enough to act.
        for (long t = 0; t < 2_000 * Ms && taken is null; t += 17 * Ms)
        {
            governor.OnEncoded(30, t);
            taken = governor.Update(Config, 60, pixels, motion: 1, canLowerRung: true, canLowerRate: true, t);
        }
        Assert.That(taken?.Step, Is.EqualTo(LoadStep.TemporalDownsample), "balanced priority on calm content halves the frame rate first");
        Assert.That(governor.MaxPixelsPerSecond, Is.EqualTo(pixels / 2), "a larger picture at half the rate would load the encoder as much again");
        (LoadStep Step, bool Undo, string Why)? undone = null;
        // Load falls far below the budget: after the restore hold the step is undone and the cap goes with it.
        for (long t = 2_000 * Ms; t < 12_000 * Ms && undone is null; t += 33 * Ms)
        {
            governor.OnEncoded(2, t);
            undone = governor.Update(Config, 30, pixels / 2, motion: 1, canLowerRung: true, canLowerRate: true, t);
        }
        Assert.Multiple(() =>
        {
            Assert.That(undone?.Undo, Is.True);
            Assert.That(governor.MaxPixelsPerSecond, Is.Null);
        });
    }
}
