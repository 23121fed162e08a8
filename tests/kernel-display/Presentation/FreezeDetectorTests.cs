using Aqs.Kernel.Display.Presentation;

namespace Aqs.Kernel.Display.Tests.Presentation;

public sealed class FreezeDetectorTests
{
    private const long Ms = 1_000_000;

    /// <summary>Presents frames at the given intervals (ms) from t = 1 s; returns the detector.</summary>
    private static FreezeDetector Play(params long[] intervalsMs)
    {
        var detector = new FreezeDetector();
        var t = 1000L;
        detector.OnPresented(t * Ms);
        foreach (var interval in intervalsMs)
        {
            t += interval;
            detector.OnPresented(t * Ms);
        }
        return detector;
    }

    [Test]
    public void Steady_frames_are_never_a_freeze()
    {
        var detector = Play(Enumerable.Repeat(33L, 200).ToArray());
        Assert.That(detector.Freezes, Is.Zero);
        Assert.That(detector.AverageIntervalMs, Is.EqualTo(33));
    }

    [Test]
    public void An_interval_at_the_getStats_threshold_is_a_freeze_lasting_the_whole_interval()
    {
        // Ten 33 ms intervals, then 200 ms: the window holds all eleven, avg = floor(530 / 11) = 48,
        // threshold max(3 * 48, 48 + 150) = 198 ms, and 200 >= 198.
        var detector = Play([.. Enumerable.Repeat(33L, 10), 200]);
        Assert.That(detector.Freezes, Is.EqualTo(1));
        Assert.That(detector.FreezeMs, Is.EqualTo(200));
    }

    [Test]
    public void An_interval_just_under_the_threshold_is_not_a_freeze()
    {
        // 195 ms: avg = floor(525 / 11) = 47, threshold max(141, 197) = 197, and 195 < 197.
        var detector = Play([.. Enumerable.Repeat(33L, 10), 195]);
        Assert.That(detector.Freezes, Is.Zero);
    }

    [Test]
    public void Slow_streams_freeze_at_three_times_their_average_interval()
    {
        // 200 ms frames (5 fps): ten of them, then 800 ms: avg = floor(2800 / 11) = 254, threshold max(762, 404) = 762.
        var detector = Play([.. Enumerable.Repeat(200L, 10), 800]);
        Assert.That(detector.Freezes, Is.EqualTo(1));
        Assert.That(Play([.. Enumerable.Repeat(200L, 10), 700]).Freezes, Is.Zero, "avg 245, threshold 735");
    }

    [Test]
    public void No_freeze_is_judged_before_five_intervals()
    {
        Assert.That(Play(16, 16, 16, 2000).Freezes, Is.Zero, "four intervals: too few to judge");
    }

    [Test]
    public void Only_the_last_thirty_intervals_make_the_average()
    {
        // Thirty 500 ms intervals then thirty 16 ms: the window forgets the slow start, so a 200 ms gap freezes
        // (avg floor((29 * 16 + 200) / 30) = 22, threshold 172).
        var detector = Play([.. Enumerable.Repeat(500L, 30), .. Enumerable.Repeat(16L, 30), 200]);
        Assert.That(detector.Freezes, Is.EqualTo(1));
        Assert.That(detector.FreezeMs, Is.EqualTo(200));
    }

    [Test]
    public void Freeze_time_adds_up_over_several_freezes()
    {
        var detector = Play([.. Enumerable.Repeat(17L, 20), 400, .. Enumerable.Repeat(17L, 20), 300, 17, 17]);
        Assert.That(detector.Freezes, Is.EqualTo(2));
        Assert.That(detector.FreezeMs, Is.EqualTo(700));
        Assert.That(detector.LongestFreezeMs, Is.EqualTo(400));
    }
}
