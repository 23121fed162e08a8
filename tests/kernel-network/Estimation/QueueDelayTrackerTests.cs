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
