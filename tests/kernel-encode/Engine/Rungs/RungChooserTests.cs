using Aqs.Engine;
using Aqs.Engine.Analysis;
using Aqs.Engine.Config;
using Aqs.Engine.Rungs;

namespace Aqs.Kernel.Encode.Tests.Engine.Rungs;

public class RungChooserTests
{
    private const long Step = 100_000_000;
    private static readonly ResolvedConfig Config = AqsConfig.Empty.Resolve(new SourceInfo(1280, 720, 60, 8), [8, 10]);
    private static readonly ContentMetrics Camera = new(2, 1, 8, 6, 1, false, 0, true);

    /// <summary>Runs the chooser every 100 ms for <paramref name="seconds"/> under <paramref name="target"/>(t in s); returns the rungs chosen and the switches.</summary>
    private static (List<Rung> Rungs, List<double> Switches) Drive(RungChooser chooser, double seconds, Func<double, double> target)
    {
        var ladder = new RungLadder(Config);
        Rung? current = null;
        var rungs = new List<Rung>();
        var switches = new List<double>();
        for (long t = 0; t < seconds * 1e9; t += Step)
        {
            var choice = chooser.Choose(ladder, current, target(t / 1e9), Camera, Config, int.MaxValue, 1, false, t, out var why);
            if (current is not null && choice.Rung != current)
            {
                TestContext.Out.WriteLine($"{t / 1e9:F1} s: {current} -> {choice.Rung} ({why})");
                switches.Add(t / 1e9);
            }
            current = choice.Rung;
            rungs.Add(choice.Rung);
        }
        return (rungs, switches);
    }

    [Test]
    public void A_steady_link_settles_on_one_rung_and_a_richer_one_on_a_larger_rung()
    {
        var poor = Drive(new RungChooser(), 20, _ => 300_000);
        var rich = Drive(new RungChooser(), 20, _ => 3_000_000);
        Assert.Multiple(() =>
        {
            Assert.That(poor.Rungs[^1].PixelsPerSecond, Is.LessThan(rich.Rungs[^1].PixelsPerSecond));
            Assert.That(poor.Rungs.Skip(100).Distinct().Count(), Is.EqualTo(1), "after 10 s on a steady link the rung stays");
            Assert.That(rich.Rungs.Skip(100).Distinct().Count(), Is.EqualTo(1));
        });
    }

    [Test]
    public void A_link_wavering_between_two_rungs_backs_off_its_up_moves_instead_of_a_keyframe_every_few_seconds()
    {
        // 4 s at a rate that pays for the larger rung, 2 s at one that starves it, for two minutes.
        var low = 300_000.0;
        var high = 3_000_000.0;
        var chooser = new RungChooser();
        var (_, switches) = Drive(chooser, 120, t => t % 6 < 4 ? high : low);
        TestContext.Out.WriteLine($"{switches.Count} switches in 120 s; up dwell now {chooser.UpDwell.TotalSeconds} s");
        Assert.Multiple(() =>
        {
            Assert.That(switches.Count(t => t < 20), Is.GreaterThanOrEqualTo(4), "the first up moves are tried soon");
            Assert.That(switches.Count(t => t >= 60), Is.LessThanOrEqualTo(4), "in the second minute at most two up moves (undamped: ten)");
            Assert.That(chooser.UpDwell, Is.GreaterThan(TimeSpan.FromSeconds(2)));
        });
    }

    [Test]
    public void After_the_link_settles_the_dwell_returns_to_normal_and_the_stream_climbs_again()
    {
        var chooser = new RungChooser();
        var (rungs, _) = Drive(chooser, 150, t => t < 60 ? (t % 6 < 4 ? 3_000_000 : 300_000) : 3_000_000);
        var settled = Drive(new RungChooser(), 20, _ => 3_000_000).Rungs[^1];
        Assert.Multiple(() =>
        {
            Assert.That(rungs[^1], Is.EqualTo(settled), "a steady rich link ends on the rung a fresh chooser picks");
            Assert.That(chooser.UpDwell, Is.EqualTo(TimeSpan.FromSeconds(2)));
        });
    }

    [Test]
    public void Going_up_needs_the_larger_rung_to_pay_at_seventy_percent_of_the_bitrate()
    {
        // The lowest steady target at which a fresh chooser leaves its starting rung for another is where an up move
        // would pay at the full bitrate; a stream sitting on a smaller rung must see more than that before it moves up.
        var ladder = new RungLadder(Config);
        var smallest = ladder.Rungs.OrderBy(r => r.PixelsPerSecond).First();
        double? firstUp = null;
        for (var target = 100_000.0; target < 6_000_000 && firstUp is null; target *= 1.05)
        {
            var chooser = new RungChooser();
            var current = smallest;
            for (long t = 0; t < 5_000_000_000; t += Step)
            {
                current = chooser.Choose(ladder, current, target, Camera, Config, int.MaxValue, 1, false, t, out _).Rung;
            }
            if (current.PixelsPerSecond > smallest.PixelsPerSecond)
            {
                firstUp = target;
            }
        }
        Assert.That(firstUp, Is.Not.Null, "some bitrate pays for a larger rung");
        var atFull = new RungChooser().Choose(ladder, null, firstUp!.Value * RungChooser.UpMargin, Camera, Config, int.MaxValue, 1, false, 0, out _);
        Assert.That(atFull.Rung.PixelsPerSecond, Is.GreaterThan(smallest.PixelsPerSecond),
            "the rung it moves up to would already win at 70 % of the rate that moved it: the margin held it back until then");
    }

    [Test]
    public void Under_the_load_governors_pixel_cap_a_rich_link_never_buys_a_larger_picture()
    {
        var ladder = new RungLadder(Config);
        var chooser = new RungChooser();
        const double cap = 640 * 360 * 30.0;
        Rung? current = null;
        for (long t = 0; t < 10_000_000_000; t += Step)
        {
            current = chooser.Choose(ladder, current, 3_000_000, Camera, Config, int.MaxValue, 1, false, t, out _, cap).Rung;
            Assert.That(current.Value.PixelsPerSecond, Is.LessThanOrEqualTo(cap), $"at {t / 1e9:F1} s");
        }
        var uncapped = Drive(new RungChooser(), 10, _ => 3_000_000).Rungs[^1];
        Assert.That(uncapped.PixelsPerSecond, Is.GreaterThan(cap), "without the cap the same link takes a larger rung");
    }
}
