using Aqs.Kernel.Network.Transport;

namespace Aqs.Kernel.Network.Tests.Transport;

public sealed class ClockOffsetEstimatorTests
{
    [Test]
    public void The_offset_is_the_fastest_transit_less_half_the_round_trip()
    {
        // The receiver's clock runs 5 s ahead; one-way delay 20 ms plus up to 30 ms of queueing; RTT 40 ms.
        const long offset = 5_000_000;
        var estimator = new ClockOffsetEstimator();
        var rng = new Random(4);
        for (var send = 0L; send < 3_000_000; send += 5_000)
        {
            estimator.OnPacket(send, send + 20_000 + rng.Next(0, 30_000) + offset);
        }
        Assert.That(estimator.OffsetUs - offset, Is.InRange(20_000, 20_200), "without the RTT the fastest one-way delay stays in");
        estimator.OnRoundTrip(40_000);
        Assert.That(estimator.OffsetUs, Is.EqualTo(offset).Within(200));
        Assert.That(estimator.DelayRemoved, Is.True);
    }

    [Test]
    public void A_fast_packet_older_than_the_window_no_longer_counts()
    {
        var estimator = new ClockOffsetEstimator();
        estimator.OnPacket(0, 1_000); // 1 ms transit, once
        for (var send = 1_000L; send < ClockOffsetEstimator.WindowUs + 2_000_000; send += 10_000)
        {
            estimator.OnPacket(send, send + 50_000);
        }
        Assert.That(estimator.OffsetUs, Is.EqualTo(50_000), "the path got slower; the old minimum left the window");
    }
}
