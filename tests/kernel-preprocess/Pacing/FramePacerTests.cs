using System.Diagnostics;
using Aqs.Kernel.Preprocess.Pacing;

namespace Aqs.Kernel.Preprocess.Tests.Pacing;

public class FramePacerTests
{
    private const long Ms = 1_000_000;

    [Test]
    public void Realtime_never_releases_a_frame_before_its_time()
    {
        var pacer = new FramePacer(PacingMode.Realtime);
        var sw = Stopwatch.StartNew();
        pacer.WaitUntilDue(5_000 * Ms); // first frame anchors, whatever its timestamp
        var anchor = sw.Elapsed.TotalMilliseconds;
        for (var i = 1; i <= 6; i++)
        {
            pacer.WaitUntilDue(5_000 * Ms + i * 10 * Ms);
            Assert.That(sw.Elapsed.TotalMilliseconds - anchor, Is.GreaterThanOrEqualTo(i * 10 - 0.01), $"frame {i} left early");
        }
    }

    [Test]
    public void Speed_scales_the_waits()
    {
        var pacer = new FramePacer(PacingMode.Realtime, speed: 4);
        pacer.WaitUntilDue(0);
        var sw = Stopwatch.StartNew();
        pacer.WaitUntilDue(80 * Ms);
        Assert.That(sw.Elapsed.TotalMilliseconds, Is.GreaterThanOrEqualTo(20 - 0.5).And.LessThan(80));
    }

    [Test]
    public void Asap_does_not_wait()
    {
        var pacer = new FramePacer(PacingMode.Asap);
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < 100; i++)
        {
            pacer.WaitUntilDue(i * 1_000 * Ms); // 1 s apart: realtime would take 99 s
        }
        Assert.That(sw.Elapsed.TotalSeconds, Is.LessThan(10));
    }

    [Test]
    public void Timestamp_going_back_reanchors_instead_of_waiting()
    {
        var pacer = new FramePacer(PacingMode.Realtime);
        pacer.WaitUntilDue(10_000 * Ms);
        var sw = Stopwatch.StartNew();
        pacer.WaitUntilDue(0);
        Assert.That(pacer.Resyncs, Is.EqualTo(1));
        Assert.That(sw.Elapsed.TotalSeconds, Is.LessThan(5));
    }

    [Test]
    public void A_stall_counts_late_frames_and_reanchors()
    {
        var pacer = new FramePacer(PacingMode.Realtime);
        pacer.WaitUntilDue(0);
        Thread.Sleep(600);
        pacer.WaitUntilDue(10 * Ms);
        Assert.That((pacer.LateFrames, pacer.Resyncs), Is.EqualTo((1L, 1L)));
    }

    [TestCase(0.0)]
    [TestCase(-1.0)]
    [TestCase(double.NaN)]
    public void Speed_must_be_positive(double speed) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new FramePacer(PacingMode.Realtime, speed));
}
