using Aqs.Kernel.Network.Emulation;
using Aqs.Kernel.Network.Emulation.Simulation;
using Aqs.Kernel.Network.Estimation;

namespace Aqs.Kernel.Network.Tests.Estimation;

public class ProbeTests
{
    private static double? Feed(ProbeBitrateEstimator estimator, ProbeCluster cluster, double bottleneckBps)
    {
        estimator.OnClusterStarted(cluster);
        long linkFreeUs = 0;
        double? result = null;
        for (var i = 0; i < cluster.Packets; i++)
        {
            var sendUs = i * cluster.IntervalUs;
            // A bottleneck serialises the packets at its own rate, 20 ms away.
            linkFreeUs = Math.Max(linkFreeUs, sendUs) + (long)(cluster.PacketBytes * 8e6 / bottleneckBps);
            result ??= estimator.OnProbeAcked(cluster.Id, sendUs, linkFreeUs + 20_000, cluster.PacketBytes);
        }
        return result;
    }

    [Test]
    public void Probe_through_a_narrower_bottleneck_measures_the_bottleneck()
    {
        var result = Feed(new ProbeBitrateEstimator(), new ProbeCluster(0, 4e6, 20, 1260), bottleneckBps: 2e6);
        Assert.That(result, Is.Not.Null);
        Assert.That(result!.Value, Is.InRange(0.9 * 2e6, 2e6), "saturated: 95 % of the receive rate");
    }

    [Test]
    public void Probe_under_the_capacity_measures_its_own_send_rate()
    {
        var result = Feed(new ProbeBitrateEstimator(), new ProbeCluster(1, 2e6, 20, 1260), bottleneckBps: 10e6);
        Assert.That(result, Is.Not.Null);
        Assert.That(result!.Value, Is.EqualTo(2e6).Within(3).Percent);
    }

    [Test]
    public void Probe_with_most_packets_lost_gives_no_result()
    {
        var estimator = new ProbeBitrateEstimator();
        var cluster = new ProbeCluster(2, 4e6, 20, 1260);
        estimator.OnClusterStarted(cluster);
        double? result = null;
        for (var i = 0; i < 10; i++)
        {
            result ??= estimator.OnProbeAcked(cluster.Id, i * cluster.IntervalUs, i * cluster.IntervalUs + 20_000, cluster.PacketBytes);
        }
        Assert.That(result, Is.Null, "under 80 % of the cluster reported");
    }

    [Test]
    public void Controller_starts_with_3x_and_6x_start_rate_then_searches_on_while_probes_get_through()
    {
        var settings = new BweSettings { StartBps = 1e6 };
        var controller = new ProbeController(settings);
        Assert.That(controller.TryStart(0, 1e6, out var first), Is.True);
        Assert.That(first.TargetBps, Is.EqualTo(3e6));
        Assert.That(first.Packets, Is.GreaterThanOrEqualTo(settings.ProbeMinPackets));
        Assert.That(controller.TryStart(1_000, 1e6, out var second), Is.True);
        Assert.That(second.TargetBps, Is.EqualTo(6e6));
        controller.OnResult(second.Id, 5.8e6);
        Assert.That(controller.TryStart(60_000, 5.8e6, out var third), Is.True);
        Assert.That(third.TargetBps, Is.EqualTo(11.6e6), "a result near its target asks for 2x more");
        controller.OnResult(third.Id, 7e6);
        Assert.That(controller.TryStart(120_000, 7e6, out _), Is.False, "a saturated probe ends the search");
        Assert.That(controller.TryStart(120_000 + settings.ProbeIntervalUs, 7e6, out var periodic), Is.True);
        Assert.That(periodic.TargetBps, Is.EqualTo(settings.ProbeScale * 7e6));
    }

    [Test]
    public void Controller_probes_back_toward_the_old_rate_after_a_large_drop()
    {
        var settings = new BweSettings();
        var controller = new ProbeController(settings);
        controller.TryStart(0, 1e6, out var a);
        controller.OnResult(a.Id, 1e6);
        controller.TryStart(1, 1e6, out var b);
        controller.OnResult(b.Id, 1e6);
        controller.OnOveruse(10_000, estimateBeforeBps: 6e6);
        controller.OnEstimate(2e6);
        Assert.That(controller.TryStart(10_000 + settings.ProbeHoldAfterOveruseUs / 2, 2e6, out _), Is.False, "the queue is still draining");
        Assert.That(controller.TryStart(10_000 + settings.ProbeHoldAfterOveruseUs, 2e6, out var recovery), Is.True);
        Assert.That(recovery.TargetBps, Is.EqualTo(ProbeController.RecoveryScale * 6e6));
    }

    [Test]
    public void Probing_adds_padding_and_lifts_the_estimate_on_an_underused_link()
    {
        static ClosedLoopResult Run(bool probing) => ClosedLoopSimulation.Run(new ClosedLoopOptions
        {
            Trace = TraceGenerator.Step(6e6, 6e6, 1_000, 6_000),
            Impairment = ImpairmentSpec.Parse("delay:20ms,queue:300ms"),
            DurationSeconds = 3,
            Bwe = new BweSettings { Probing = probing },
        });
        var with = Run(true);
        var without = Run(false);
        Assert.That(with.ProbeClusters, Is.GreaterThan(0));
        Assert.That(with.PaddingBytesSent, Is.GreaterThan(0));
        Assert.That(without.PaddingBytesSent, Is.Zero);
        var early = with.Samples.First(s => s.TimeUs >= 1_000_000).EstimateBps;
        var earlyWithout = without.Samples.First(s => s.TimeUs >= 1_000_000).EstimateBps;
        Assert.That(early, Is.GreaterThan(earlyWithout), "start-up probes find the capacity sooner than the AIMD climb");
    }
}
