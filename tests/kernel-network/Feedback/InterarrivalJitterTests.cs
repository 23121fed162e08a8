using Aqs.Kernel.Network.Feedback;

namespace Aqs.Kernel.Network.Tests.Feedback;

public class InterarrivalJitterTests
{
    [Test]
    public void Jitter_follows_RFC3550_on_a_known_sequence()
    {
        // Sent every 20 ms, arriving at 100, 125, 138, 165 ms: D = +5, -7, +7 ms.
        var jitter = new InterarrivalJitter();
        long[] send = [0, 20_000, 40_000, 60_000];
        long[] arrival = [100_000, 125_000, 138_000, 165_000];
        var expected = 0.0;
        long[] d = [5_000, 7_000, 7_000];
        for (var i = 0; i < send.Length; i++)
        {
            jitter.OnArrival(send[i], arrival[i]);
            if (i > 0)
            {
                expected += (d[i - 1] - expected) / 16.0;
            }
        }
        Assert.Multiple(() =>
        {
            Assert.That(expected, Is.EqualTo(1122.314453125).Within(1e-9), "hand-computed J = 5000/16, then +(7000-J)/16 twice");
            Assert.That(jitter.JitterUs, Is.EqualTo(expected).Within(1e-9));
        });
    }

    [Test]
    public void Constant_transit_gives_zero_jitter_whatever_the_clock_offset()
    {
        var jitter = new InterarrivalJitter();
        for (var i = 0; i < 100; i++)
        {
            jitter.OnArrival(i * 16_667, 987_654_321 + i * 16_667);
        }
        Assert.That(jitter.JitterUs, Is.Zero);
    }

    [Test]
    public void Jitter_converges_to_mean_absolute_transit_difference()
    {
        // Transit alternates 10 ms / 14 ms: |D| = 4 ms every time, so J → 4 ms.
        var jitter = new InterarrivalJitter();
        for (var i = 0; i < 400; i++)
        {
            jitter.OnArrival(i * 20_000L, i * 20_000L + (i % 2 == 0 ? 10_000 : 14_000));
        }
        Assert.That(jitter.JitterUs, Is.EqualTo(4_000).Within(1));
    }
}
