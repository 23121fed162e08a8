using Aqs.Engine;
using Aqs.Engine.Rate;

namespace Aqs.Kernel.Encode.Tests.Engine.Rate;

public class LinkBudgetTests
{
    private const long Ms = 1_000_000;

    private static NetworkConstraints Report(long atMs, double queueMs, long ackedSentAtMs, long inFlight, double deliveryBps = 2e6, double estimateBps = 3e6) => new()
    {
        TimestampNs = atMs * Ms,
        EstimateBps = estimateBps,
        DeliveryBps = deliveryBps,
        QueueDelayMs = queueMs,
        StandingQueueMs = queueMs,
        AckedSendTimeNs = ackedSentAtMs * Ms,
        BytesInFlight = inFlight,
        RttMs = 40 + queueMs,
    };

    [Test]
    public void The_queue_now_adds_what_was_sent_behind_the_acknowledged_packet_and_drains_at_the_delivery_rate()
    {
        var budget = new LinkBudget();
        // 100 ms of queue at 2 Mbit/s, 25 kB behind the acknowledged packet sent 150 ms ago.
        budget.OnNetwork(Report(atMs: 1000, queueMs: 100, ackedSentAtMs: 850, inFlight: 25_000));
        var now = 1000 * Ms;
        Assert.Multiple(() =>
        {
            Assert.That(budget.Saturated, Is.True);
            Assert.That(budget.DrainRateBps, Is.EqualTo(2e6));
            // 100 + 25000·8/2e6 s (100 ms) − 150 ms = 50 ms.
            Assert.That(budget.QueueNowMs(now), Is.EqualTo(50).Within(1e-9));
        });
        budget.OnSent(now + 5 * Ms, 10_000);
        var withFrame = budget.QueueNowMs(now + 5 * Ms);
        Assert.That(withFrame, Is.EqualTo(50 - 5 + WireOverhead.WireBytes(10_000, 0) * 8 / 2e6 * 1000).Within(1e-6), "a frame sent since the report joins the queue");
    }

    [Test]
    public void A_frame_may_fill_the_queue_up_to_its_target_plus_what_drains_in_a_frame_interval()
    {
        var budget = new LinkBudget();
        // A queue that stays over three reports: the link is full and drains at the delivery rate.
        budget.OnNetwork(Report(900, queueMs: 20, ackedSentAtMs: 880, inFlight: 0));
        budget.OnNetwork(Report(950, queueMs: 20, ackedSentAtMs: 930, inFlight: 0));
        budget.OnNetwork(Report(1000, queueMs: 20, ackedSentAtMs: 980, inFlight: 0));
        Assert.That(budget.Saturated, Is.True);
        var bytes = budget.FrameBudgetBytes(1000 * Ms, frameIntervalMs: 33.3, targetQueueMs: 25)!.Value;
        // Queue now 0 (20 ms reported, 20 ms since): room 58.3 ms at 2 Mbit/s in wire bytes, less headers and the descriptor.
        Assert.That(bytes, Is.EqualTo(WireOverhead.MediaBytes(2e6 * 58.3 / 8000, 0)).Within(1).Percent);
    }

    [Test]
    public void When_acknowledgements_stop_the_window_on_bytes_in_flight_closes_the_budget()
    {
        var budget = new LinkBudget();
        budget.OnNetwork(Report(1000, queueMs: 15, ackedSentAtMs: 960, inFlight: 20_000));
        // The link went silent: no report for half a second, frames kept going out.
        for (var i = 1; i <= 15; i++)
        {
            budget.OnSent((1000 + 33 * i) * Ms, 4_000);
        }
        var now = 1500 * Ms;
        Assert.That(budget.QueueNowMs(now), Is.LessThan(40), "the stale report alone thinks the queue has drained");
        Assert.That(budget.FrameBudgetBytes(now, 33.3, 25), Is.Zero, "but the bytes in flight say stop");
    }

    [Test]
    public void Without_a_queue_the_rate_is_the_estimate_or_twice_what_was_delivered_whichever_is_more()
    {
        var budget = new LinkBudget();
        budget.OnNetwork(Report(1000, queueMs: 2, ackedSentAtMs: 990, inFlight: 5_000, deliveryBps: 3e6, estimateBps: 5e6));
        Assert.That((budget.UsableRateBps, budget.DrainRateBps), Is.EqualTo((6e6, 4.5e6)), "the bitrate probes at twice the delivery; the budget takes the estimate inside 1.25-1.5x of it");
        budget.OnNetwork(Report(1010, queueMs: 2, ackedSentAtMs: 1000, inFlight: 5_000, deliveryBps: 1e6, estimateBps: 5e6));
        Assert.Multiple(() =>
        {
            Assert.That(budget.Saturated, Is.False);
            Assert.That(budget.UsableRateBps, Is.EqualTo(5e6), "the estimate, when it is above twice the delivery");
            Assert.That(budget.DrainRateBps, Is.EqualTo(1.5e6), "the budget counts on at most 1.5 times the delivery");
        });
    }

    [Test]
    public void Before_any_report_there_is_no_budget()
    {
        var budget = new LinkBudget();
        Assert.That((budget.FrameBudgetBytes(0, 33, 25), double.IsNaN(budget.DrainRateBps), budget.QueueNowMs(0)), Is.EqualTo(((double?)null, true, 0.0)));
    }

    [Test]
    public void A_short_queue_in_one_report_is_not_a_full_link_but_one_that_stays_is()
    {
        var budget = new LinkBudget();
        budget.OnNetwork(Report(1000, queueMs: 25, ackedSentAtMs: 980, inFlight: 0, deliveryBps: 0.2e6, estimateBps: 0.3e6));
        Assert.Multiple(() =>
        {
            Assert.That(budget.Saturated, Is.False, "25 ms once: a burst of transmission opportunities, or a receiver woken late");
            Assert.That(budget.UsableRateBps, Is.EqualTo(0.4e6), "so the bitrate may still probe at twice the delivery");
        });
        budget.OnNetwork(Report(1050, queueMs: 2, ackedSentAtMs: 1030, inFlight: 0, deliveryBps: 0.2e6, estimateBps: 0.3e6));
        budget.OnNetwork(Report(1100, queueMs: 25, ackedSentAtMs: 1080, inFlight: 0, deliveryBps: 0.2e6, estimateBps: 0.3e6));
        Assert.That(budget.Saturated, Is.False, "a queue that comes and goes");
        budget.OnNetwork(Report(1150, queueMs: 25, ackedSentAtMs: 1130, inFlight: 0, deliveryBps: 0.2e6, estimateBps: 0.3e6));
        budget.OnNetwork(Report(1200, queueMs: 25, ackedSentAtMs: 1180, inFlight: 0, deliveryBps: 0.2e6, estimateBps: 0.3e6));
        Assert.Multiple(() =>
        {
            Assert.That(budget.Saturated, Is.True, "three reports running");
            Assert.That(budget.UsableRateBps, Is.EqualTo(0.2e6), "the delivery rate is the capacity");
        });
        var fresh = new LinkBudget();
        fresh.OnNetwork(Report(1000, queueMs: 80, ackedSentAtMs: 920, inFlight: 0));
        Assert.That(fresh.Saturated, Is.True, "a long queue is the link's at once");
    }
}
