using Aqs.Kernel.Network.Emulation;

namespace Aqs.Kernel.Network.Tests.Emulation;

public class NetworkEmulatorTests
{
    /// <summary>Sends packets at a constant rate above the trace's peak and returns delivered bytes per 1 s window.</summary>
    private static long[] SaturateAndCount(MahimahiTrace trace, double sendBps, int packetBytes, int seconds, string spec = "queue:100")
    {
        var emulator = new NetworkEmulator(ImpairmentSpec.Parse(spec), trace);
        var perSecond = new long[seconds + 2];
        var intervalUs = packetBytes * 8.0 * 1_000_000 / sendBps;
        for (var i = 0; ; i++)
        {
            var sendUs = (long)(i * intervalUs);
            if (sendUs >= seconds * 1_000_000L)
            {
                break;
            }
            var verdict = emulator.Submit(sendUs, packetBytes);
            if (verdict.Delivered && verdict.DeliveryTimeUs < seconds * 1_000_000L)
            {
                perSecond[verdict.DeliveryTimeUs / 1_000_000] += packetBytes;
            }
        }
        return perSecond[..seconds];
    }

    private static void AssertFollowsTrace(MahimahiTrace trace, long[] perSecond, int firstSecond)
    {
        long delivered = 0;
        double capacity = 0;
        for (var s = 1; s < perSecond.Length; s++)
        {
            var cap = trace.CapacityBitsPerSecond(firstSecond * 1000L + s * 1000L, firstSecond * 1000L + (s + 1) * 1000L) / 8;
            delivered += perSecond[s];
            capacity += cap;
            if (cap > 50_000)
            {
                Assert.That(perSecond[s], Is.EqualTo(cap).Within(5).Percent, $"second {s}");
            }
        }
        Assert.That(delivered, Is.EqualTo(capacity).Within(5).Percent, "over the whole run");
    }

    [Test]
    public void Delivered_rate_follows_generated_sawtooth_within_5_percent_over_10_s()
    {
        var trace = TraceGenerator.Sawtooth(1e6, 8e6, 3_000, 10_000);
        AssertFollowsTrace(trace, SaturateAndCount(trace, 10e6, 1200, 10), 0);
    }

    [Test]
    public void Delivered_rate_follows_step_trace_with_small_packets()
    {
        var trace = TraceGenerator.Step(6e6, 2e6, 5_000, 10_000);
        AssertFollowsTrace(trace, SaturateAndCount(trace, 8e6, 400, 10), 0);
    }

    [Test]
    public void Delivered_rate_follows_recorded_trace_within_5_percent_over_10_s()
    {
        var trace = SharedTraces.LoadOrIgnore("Verizon-LTE-short.down");
        AssertFollowsTrace(trace, SaturateAndCount(trace, 30e6, 1500, 10, "queue:2000"), 0);
    }

    [Test]
    public void Gilbert_Elliott_loss_matches_configured_mean_and_burst_length()
    {
        var emulator = new NetworkEmulator(ImpairmentSpec.Parse("loss:5%,burst:4,seed:3"));
        const int packets = 400_000;
        long lost = 0, runs = 0;
        var previousLost = false;
        for (var i = 0; i < packets; i++)
        {
            var isLost = !emulator.Submit(i * 100L, 1000).Delivered;
            lost += isLost ? 1 : 0;
            runs += isLost && !previousLost ? 1 : 0;
            previousLost = isLost;
        }
        var lossRate = (double)lost / packets;
        var meanBurst = (double)lost / runs;
        TestContext.Out.WriteLine($"loss {lossRate:P2}, mean burst {meanBurst:F2}");
        Assert.Multiple(() =>
        {
            Assert.That(lossRate, Is.EqualTo(0.05).Within(0.004));
            Assert.That(meanBurst, Is.EqualTo(4).Within(0.25));
            Assert.That(emulator.DroppedBurst, Is.EqualTo(lost));
        });
    }

    [Test]
    public void Random_loss_is_independent()
    {
        var emulator = new NetworkEmulator(ImpairmentSpec.Parse("loss:10%"));
        const int packets = 200_000;
        long lost = 0, lostAfterLost = 0, previousLostCount = 0;
        var previousLost = false;
        for (var i = 0; i < packets; i++)
        {
            var isLost = !emulator.Submit(i, 100).Delivered;
            lost += isLost ? 1 : 0;
            if (previousLost)
            {
                previousLostCount++;
                lostAfterLost += isLost ? 1 : 0;
            }
            previousLost = isLost;
        }
        Assert.Multiple(() =>
        {
            Assert.That((double)lost / packets, Is.EqualTo(0.10).Within(0.005));
            Assert.That((double)lostAfterLost / previousLostCount, Is.EqualTo(0.10).Within(0.01), "P(loss | previous lost)");
            Assert.That(emulator.DroppedRandom, Is.EqualTo(lost));
        });
    }

    [Test]
    public void Queue_in_packets_drops_tail_when_full()
    {
        // 100 packets/s: the first opportunity is at 10 ms, so nothing leaves during the burst.
        var emulator = new NetworkEmulator(ImpairmentSpec.Parse("queue:10"), TraceGenerator.Constant(1.2e6, 1_000));
        var verdicts = Enumerable.Range(0, 50).Select(_ => emulator.Submit(0, 1500)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(verdicts.Take(10).All(v => v.Delivered), Is.True);
            Assert.That(verdicts.Skip(10).All(v => v.Drop == DropReason.QueueFull), Is.True);
            Assert.That(verdicts[9].DeliveryTimeUs, Is.EqualTo(100_000));
            Assert.That(emulator.Submit(100_000, 1500).Delivered, Is.True, "the queue drains as packets leave");
        });
    }

    [Test]
    public void Queue_in_ms_drops_packets_that_would_wait_longer()
    {
        var emulator = new NetworkEmulator(ImpairmentSpec.Parse("queue:100ms"), TraceGenerator.Constant(1.2e6, 1_000));
        var delivered = Enumerable.Range(0, 50).Count(_ => emulator.Submit(0, 1500).Delivered);
        Assert.That(delivered, Is.EqualTo(10));
    }

    [TestCase(25_000L, 20_000L, 21_000L)]
    [TestCase(1_000L, 20_000L, 40_000L)]
    public void Delay_and_jitter_stay_in_bounds_and_keep_order(long spacingUs, long lowestMin, long highestMin)
    {
        // Sent 25 ms apart, order never binds and the delay spans the full 30 ± 10 ms; sent 1 ms apart,
        // keeping order lifts the early ones, but nothing leaves the bounds.
        var emulator = new NetworkEmulator(ImpairmentSpec.Parse("delay:30ms,jitter:10ms"));
        var lastDelivery = 0L;
        var minDelay = long.MaxValue;
        var maxDelay = 0L;
        for (var i = 0; i < 10_000; i++)
        {
            var send = i * spacingUs;
            var v = emulator.Submit(send, 1200);
            Assert.That(v.DeliveryTimeUs, Is.GreaterThanOrEqualTo(lastDelivery));
            lastDelivery = v.DeliveryTimeUs;
            minDelay = Math.Min(minDelay, v.DeliveryTimeUs - send);
            maxDelay = Math.Max(maxDelay, v.DeliveryTimeUs - send);
        }
        Assert.Multiple(() =>
        {
            Assert.That(minDelay, Is.InRange(lowestMin, highestMin));
            Assert.That(maxDelay, Is.InRange(39_000, 40_000));
        });
    }

    [Test]
    public void Jitter_reorders_only_when_asked()
    {
        static int Inversions(string spec)
        {
            var emulator = new NetworkEmulator(ImpairmentSpec.Parse(spec));
            var last = 0L;
            var inversions = 0;
            for (var i = 0; i < 5_000; i++)
            {
                var v = emulator.Submit(i * 1_000L, 1200);
                inversions += v.DeliveryTimeUs < last ? 1 : 0;
                last = Math.Max(last, v.DeliveryTimeUs);
            }
            return inversions;
        }
        Assert.Multiple(() =>
        {
            Assert.That(Inversions("delay:30ms,jitter:10ms"), Is.Zero);
            Assert.That(Inversions("delay:30ms,jitter:10ms,jitter-reorder:on"), Is.GreaterThan(500));
            // Each held-back packet (2 % of 5000) is overtaken by the four sent in the next 4 ms.
            Assert.That(Inversions("delay:30ms,reorder:2%"), Is.InRange(250, 550));
        });
    }

    [Test]
    public void Same_seed_replays_same_verdicts()
    {
        const string spec = "loss:3%,burst:3,delay:20ms,jitter:5ms,reorder:1%,queue:50,seed:42";
        var trace = TraceGenerator.Sawtooth(1e6, 4e6, 1_000, 5_000);
        var a = new NetworkEmulator(ImpairmentSpec.Parse(spec), trace);
        var b = new NetworkEmulator(ImpairmentSpec.Parse(spec), trace);
        var c = new NetworkEmulator(ImpairmentSpec.Parse(spec.Replace("seed:42", "seed:43")), trace);
        var differs = false;
        for (var i = 0; i < 20_000; i++)
        {
            var va = a.Submit(i * 500L, 1200);
            Assert.That(b.Submit(i * 500L, 1200), Is.EqualTo(va));
            differs |= c.Submit(i * 500L, 1200) != va;
        }
        Assert.That(differs, Is.True, "another seed gives other drops");
    }

    [Test]
    public void Emulated_link_hands_back_datagrams_in_delivery_order_when_due()
    {
        var link = new EmulatedLink<int>(new NetworkEmulator(ImpairmentSpec.Parse("delay:10ms,jitter:5ms,jitter-reorder:on,seed:5")));
        for (var i = 0; i < 100; i++)
        {
            link.Send(i, 1000, i * 100L);
        }
        Assert.That(link.TryReceive(4_000, out _, out _), Is.False, "nothing is due before the minimum delay");
        var times = new List<long>();
        var items = new HashSet<int>();
        while (link.TryReceive(1_000_000, out var item, out var at))
        {
            times.Add(at);
            items.Add(item);
        }
        Assert.Multiple(() =>
        {
            Assert.That(items, Has.Count.EqualTo(100));
            Assert.That(times, Is.Ordered);
            Assert.That(link.InFlight, Is.Zero);
        });
    }
}

public class CapacityUseTests
{
    [Test]
    public void Time_above_capacity_and_the_mean_capacity_are_weighted_by_time()
    {
        var use = new CapacityUse();
        use.Sample(0, 1e6, 2e6);
        use.Sample(1_000_000_000, 1e6, 2e6);    // 1 s under
        use.Sample(1_500_000_000, 3e6, 2e6);    // 0.5 s over
        use.Sample(2_000_000_000, 3e6, double.NaN); // no capacity known: not counted
        Assert.That((use.SecondsMeasured, use.SecondsAboveCapacity, use.MeanCapacityBps), Is.EqualTo((1.5, 0.5, 2e6)));
    }

    [Test]
    public void A_trace_written_out_reads_back_the_same()
    {
        var trace = TraceGenerator.Step(4e6, 1e6, 500, 1_000);
        var text = new StringWriter();
        trace.WriteTo(text);
        var back = MahimahiTrace.Parse(new StringReader(text.ToString()), "back");
        Assert.That(back.OpportunityMs.ToArray(), Is.EqualTo(trace.OpportunityMs.ToArray()));
    }
}
