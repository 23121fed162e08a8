using Aqs.Kernel.Network.Emulation;
using Aqs.Kernel.Network.Feedback;

namespace Aqs.Kernel.Network.Tests.Feedback;

public class ReceiverStatisticsTests
{
    [Test]
    public void Report_lists_arrivals_losses_and_nacks_since_the_last_one()
    {
        var stats = new ReceiverStatistics();
        var missing = new HashSet<long> { 10, 11, 12, 50 };
        for (long seq = 0; seq < 100; seq++)
        {
            if (!missing.Contains(seq))
            {
                stats.OnPacket(seq, seq * 1_000, 40_000 + seq * 1_000);
            }
        }
        var report = new FeedbackReport();
        var more = stats.BuildReport(150_000, report);
        Assert.Multiple(() =>
        {
            Assert.That(more, Is.False);
            Assert.That(report.BaseSequence, Is.Zero);
            Assert.That(report.ArrivalCount, Is.EqualTo(100));
            Assert.That(report.ArrivalTimesUs[10], Is.EqualTo(FeedbackReport.NotReceived));
            Assert.That(report.ArrivalTimesUs[13], Is.EqualTo(53_000));
            Assert.That(report.NackList.ToArray(), Is.EqualTo(new long[] { 10, 11, 12, 50 }));
            Assert.That(report.CumulativeLost, Is.EqualTo(4u));
            Assert.That(report.IntervalLossFraction, Is.EqualTo(0.04).Within(1e-12));
            Assert.That(report.MeanBurstLength, Is.EqualTo(2).Within(1e-12), "4 lost in 2 runs");
            Assert.That(report.HighestSequence, Is.EqualTo(99));
            Assert.That(report.EchoSendTimeUs, Is.EqualTo(99_000));
            Assert.That(report.EchoHoldUs, Is.EqualTo(150_000u - 139_000u));
        });

        // A late packet cancels a loss; the next report starts after the last one.
        stats.OnPacket(50, 50_000, 160_000);
        stats.OnPacket(100, 100_000, 161_000);
        stats.BuildReport(200_000, report);
        Assert.Multiple(() =>
        {
            Assert.That(report.BaseSequence, Is.EqualTo(100));
            Assert.That(report.ArrivalCount, Is.EqualTo(1));
            Assert.That(report.CumulativeLost, Is.EqualTo(3u));
            Assert.That(report.IntervalLossFraction, Is.Zero);
        });
    }

    [Test]
    public void Report_is_due_every_interval_or_when_arrivals_would_overflow()
    {
        var stats = new ReceiverStatistics(reportIntervalUs: 50_000);
        Assert.That(stats.ReportDue(0), Is.False, "nothing received yet");
        stats.OnPacket(0, 0, 1_000);
        Assert.That(stats.ReportDue(1_000), Is.True, "first report right away");
        stats.BuildReport(1_000, new FeedbackReport());
        stats.OnPacket(1, 0, 2_000);
        Assert.That(stats.ReportDue(20_000), Is.False);
        Assert.That(stats.ReportDue(51_000), Is.True);
        for (long s = 2; s < 2 + FeedbackReport.MaxArrivals; s++)
        {
            stats.OnPacket(s, 0, 3_000);
        }
        Assert.That(stats.ReportDue(21_000), Is.True, "a full report's worth is waiting");
        Assert.That(stats.BuildReport(21_000, new FeedbackReport()), Is.True, "one more report needed");
    }

    [Test]
    public void Loss_runs_recover_Gilbert_parameters_of_the_emulated_channel()
    {
        var emulator = new NetworkEmulator(ImpairmentSpec.Parse("loss:4%,burst:3,seed:8"));
        var runs = new LossRunEstimator();
        for (long seq = 0; seq < 300_000; seq++)
        {
            if (emulator.Submit(seq * 100, 1200).Delivered)
            {
                runs.OnPacket(seq);
            }
        }
        Assert.Multiple(() =>
        {
            Assert.That(runs.LossRate, Is.EqualTo(0.04).Within(0.004));
            Assert.That(runs.MeanBurstLength, Is.EqualTo(3).Within(0.25));
            Assert.That(runs.BadToGood, Is.EqualTo(1 / 3.0).Within(0.03));
            Assert.That(runs.GoodToBad, Is.EqualTo(0.04 / 0.96 / 3).Within(0.002));
        });
    }

    [Test]
    public void Drops_from_a_full_queue_count_as_congestion_not_channel_loss()
    {
        // 3 Mbit/s into a 2 Mbit/s bottleneck with a 100 ms drop-tail queue: a third is dropped, all at a full queue.
        var emulator = new NetworkEmulator(ImpairmentSpec.Parse("delay:20ms,queue:100ms"), TraceGenerator.Constant(2e6, 10_000));
        var stats = new ReceiverStatistics();
        long dropped = 0;
        for (long seq = 0; seq < 1_500; seq++)
        {
            var send = seq * 4_000;
            var v = emulator.Submit(send, 1500);
            if (v.Delivered)
            {
                stats.OnPacket(seq, send, v.DeliveryTimeUs);
            }
            else
            {
                dropped++;
            }
        }
        Assert.Multiple(() =>
        {
            Assert.That(dropped, Is.GreaterThan(400));
            Assert.That(stats.CumulativeLost, Is.EqualTo(dropped).Within(1));
            Assert.That(stats.LossRate, Is.LessThan(0.01), "channel loss for FEC");
            Assert.That(stats.LossRuns.CongestionLost, Is.EqualTo(dropped).Within(1));
        });
    }
}
