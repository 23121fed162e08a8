using Aqs.Kernel.Network.Estimation;
using Aqs.Kernel.Network.Feedback;

namespace Aqs.Kernel.Network.Tests.Estimation;

public class QueueDelayTrackerTests
{
    [Test]
    public void Queueing_delay_is_the_one_way_delay_above_the_lowest_seen_whatever_the_clock_offset()
    {
        var tracker = new QueueDelayTracker();
        const long offset = 987_654_321; // receiver clock ahead of the sender's
        tracker.OnArrival(sendUs: 0, arrivalUs: offset + 20_000);
        Assert.That(tracker.QueueDelayUs, Is.Zero);

        tracker.OnArrival(sendUs: 100_000, arrivalUs: offset + 100_000 + 95_000);
        Assert.That(tracker.QueueDelayUs, Is.EqualTo(75_000));

        tracker.OnArrival(sendUs: 200_000, arrivalUs: offset + 200_000 + 20_000);
        Assert.That(tracker.QueueDelayUs, Is.Zero, "the queue drained");
    }

    [Test]
    public void A_base_delay_that_grew_is_forgotten_after_the_window()
    {
        var tracker = new QueueDelayTracker(windowUs: 2_000_000);
        tracker.OnArrival(0, 10_000);
        for (var t = 100_000L; t <= 5_000_000; t += 100_000)
        {
            tracker.OnArrival(t, t + 50_000); // a longer route from here on
        }
        Assert.That(tracker.QueueDelayUs, Is.Zero);
    }
}

public class BytesInFlightTests
{
    [Test]
    public void Bytes_sent_after_the_highest_reported_sequence_are_in_flight_and_lost_ones_before_it_are_not()
    {
        var bwe = new GccBandwidthEstimator();
        for (var sequence = 0; sequence < 10; sequence++)
        {
            bwe.OnPacketSent(sequence, sequence * 1_000, 1_000 + sequence);
        }
        Assert.That(bwe.BytesInFlight, Is.EqualTo(Enumerable.Range(0, 10).Sum(s => 1_000 + s)));

        var report = new FeedbackReport { ReportTimeUs = 20_000, BaseSequence = 0, ArrivalCount = 6, HighestSequence = 5 };
        for (var i = 0; i < 6; i++)
        {
            report.ArrivalTimesUs[i] = i == 3 ? FeedbackReport.NotReceived : 5_000 + i * 1_000;
        }
        bwe.OnFeedback(report, 21_000);

        Assert.That(bwe.BytesInFlight, Is.EqualTo(Enumerable.Range(6, 4).Sum(s => 1_000 + s)));
        Assert.That(bwe.BytesSent, Is.EqualTo(Enumerable.Range(0, 10).Sum(s => 1_000 + s)));
    }
}

public class StandingQueueTests
{
    [Test]
    public void A_burst_queues_its_own_last_packets_but_only_a_queue_every_packet_meets_is_standing()
    {
        var tracker = new QueueDelayTracker();
        // Frames of 10 packets sent at once every 33 ms on a link that takes 1 ms a packet: the last packet of each
        // frame waits 9 ms, the first none.
        for (var frame = 0; frame < 10; frame++)
        {
            for (var p = 0; p < 10; p++)
            {
                var send = frame * 33_000L;
                tracker.OnArrival(send, send + 20_000 + p * 1_000);
            }
        }
        Assert.That((tracker.QueueDelayUs, tracker.StandingQueueUs), Is.EqualTo((9_000L, 0L)));

        // Now the link falls behind: every packet waits 40 ms more than the last one did.
        for (var i = 0; i < 20; i++)
        {
            var send = 400_000L + i * 5_000;
            tracker.OnArrival(send, send + 20_000 + 40_000 + i * 1_000);
        }
        Assert.That(tracker.StandingQueueUs, Is.GreaterThanOrEqualTo(40_000));
    }
}
