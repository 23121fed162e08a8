using Aqs.Kernel.Display.Pictures;
using Aqs.Kernel.Display.Presentation;
using Aqs.Shared.Frames;

namespace Aqs.Kernel.Display.Tests.Presentation;

/// <summary>The viewer's clock driven by a script: frames captured at 60 fps, ready a fixed transit later, shown at 60 Hz.</summary>
public sealed class PresentationCoreTests
{
    private const long Ms = 1_000_000;
    private const long Refresh = 16_666_667;
    private const long FrameInterval = 16_666_667;
    private static readonly FrameLayout Layout = new(16, 16, PixelFormat.Yuv420p);

    private static Picture Frame(long id, long transitNs)
    {
        var p = Picture.Standalone(Layout);
        p.FrameId = id;
        p.CaptureNs = id * FrameInterval;
        p.ReadyNs = p.CaptureNs + transitNs;
        return p;
    }

    /// <summary>
    /// Plays <paramref name="frames"/> frames; those for which <paramref name="lost"/> is true never arrive. Each refresh
    /// enqueues what became ready, presents what is due, samples the age. Returns the core and every age sampled.
    /// </summary>
    private static (PresentationCore Core, List<long> Ages) Play(int frames, long transitNs, Func<long, bool> lost, JitterBufferMode mode = JitterBufferMode.Off)
    {
        var core = new PresentationCore(new JitterBuffer(mode, TimeSpan.Zero, TimeSpan.FromTicks(Refresh / 100)));
        var ages = new List<long>();
        long next = 0;
        var end = frames * FrameInterval + transitNs + Refresh; // no tail: after the last frame the age would grow again
        for (var t = Refresh; t < end; t += Refresh)
        {
            while (next < frames && next * FrameInterval + transitNs <= t)
            {
                if (!lost(next))
                {
                    core.Enqueue(Frame(next, transitNs), Refresh);
                }
                next++;
            }
            if (core.Due(t) is { } pick)
            {
                core.OnPresented(pick, t, Refresh);
            }
            core.Sample(t);
            if (core.OnScreen is { } shown)
            {
                ages.Add(t - shown.CaptureNs);
            }
        }
        return (core, ages);
    }

    [Test]
    public void Time_sampled_age_of_a_scripted_stall_equals_the_stall_length()
    {
        // 600 frames (10 s), transit 12 ms; frames captured during the 500 ms from t = 4 s never arrive.
        const long stall = 500 * Ms;
        var (core, ages) = Play(600, 12 * Ms, id => id * FrameInterval >= 4000 * Ms && id * FrameInterval < 4000 * Ms + stall);

        var normal = ages.Min();
        var worst = ages.Max();
        Assert.That(worst - normal, Is.EqualTo(stall).Within(Refresh), "the age grows for exactly as long as the picture is held");
        Assert.That(core.Age.MaxMs!.Value, Is.EqualTo(worst / 1e6).Within(0.1).Percent, "the histogram (3 significant digits) saw the same worst age");
        // Refreshes whose age exceeds the normal age by more than one refresh: the stall, counted refresh by refresh.
        var stalledRefreshes = ages.Count(a => a > normal + Refresh);
        Assert.That(stalledRefreshes * Refresh, Is.EqualTo(stall).Within(2 * Refresh));
    }

    [Test]
    public void A_stall_is_one_freeze_as_long_as_the_gap_between_presented_pictures()
    {
        var (core, _) = Play(600, 12 * Ms, id => id >= 240 && id < 270); // 30 frames = 500 ms missing
        Assert.That(core.Freezes.Freezes, Is.EqualTo(1));
        Assert.That(core.Freezes.FreezeMs, Is.EqualTo(517).Within(17), "500 ms of missing frames + one frame interval");
        Assert.That(core.FramesPresented, Is.EqualTo(570));
    }

    [Test]
    public void Capture_to_presented_is_transit_plus_the_wait_for_the_next_refresh()
    {
        var (core, _) = Play(300, 12 * Ms, _ => false);
        Assert.That(core.FramesPresented, Is.EqualTo(300), "60 fps on a 60 Hz clock: every frame shown");
        Assert.That(core.Presented.PercentileMs(50)!.Value, Is.InRange(12.0, 12.0 + Refresh / 1e6));
        Assert.That(core.Freezes.Freezes, Is.Zero);
    }

    [Test]
    public void Of_two_pictures_due_at_one_refresh_the_newer_is_shown_and_the_older_counted_skipped()
    {
        var core = new PresentationCore(new JitterBuffer(JitterBufferMode.Off, TimeSpan.Zero, TimeSpan.FromMilliseconds(16)));
        core.Enqueue(Frame(1, 5 * Ms), Refresh);
        core.Enqueue(Frame(2, 5 * Ms), Refresh);
        var pick = core.Due(10 * FrameInterval);
        Assert.That(pick!.FrameId, Is.EqualTo(2));
        Assert.That(core.FramesSkipped, Is.EqualTo(1));
    }

    [Test]
    public void A_picture_older_than_the_one_on_screen_is_dropped_as_too_late_and_the_screen_holds()
    {
        var core = new PresentationCore(new JitterBuffer(JitterBufferMode.Off, TimeSpan.Zero, TimeSpan.FromMilliseconds(16)));
        core.Enqueue(Frame(5, 5 * Ms), Refresh);
        core.OnPresented(core.Due(10 * FrameInterval)!, 10 * FrameInterval, Refresh);
        core.Enqueue(Frame(4, 200 * Ms), Refresh);
        Assert.That(core.FramesTooLate, Is.EqualTo(1));
        Assert.That(core.Due(11 * FrameInterval), Is.Null, "nothing new: the last good picture stays");
        Assert.That(core.OnScreen!.FrameId, Is.EqualTo(5));
    }

    [Test]
    public void A_fixed_jitter_buffer_delays_every_picture_by_its_size()
    {
        var core = new PresentationCore(new JitterBuffer(JitterBufferMode.Fixed, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(16)));
        core.Enqueue(Frame(10, 5 * Ms), Refresh);
        var capture = 10 * FrameInterval;
        Assert.That(core.Due(capture + 54 * Ms), Is.Null, "due at capture + 5 ms fastest transit + 50 ms");
        Assert.That(core.Due(capture + 55 * Ms)!.FrameId, Is.EqualTo(10));
    }
}
