using Aqs.Kernel.Network.Emulation;
using Aqs.Kernel.Network.FecPolicy;
using Aqs.Kernel.Network.Feedback;

namespace Aqs.Kernel.Network.Tests.FecPolicy;

public class FecPolicyTests
{
    [Test]
    public void Seed_formula_reads_loss_as_fraction_and_jitter_in_ms()
    {
        var seed = new SeedFecPolicy();
        Assert.Multiple(() =>
        {
            Assert.That(seed.ParityFor(10, false, new LinkState(0.05, 1, 0, 50)), Is.EqualTo(1), "2·5 % = 10 %");
            Assert.That(seed.ParityFor(10, true, new LinkState(0.05, 1, 0, 50)), Is.EqualTo(2), "I-frames doubled");
            Assert.That(seed.ParityFor(10, false, new LinkState(0, 1, 0, 50)), Is.EqualTo(1), "FEC_MIN 5 % rounds up");
            Assert.That(seed.ParityFor(10, false, new LinkState(0.05, 1, 3, 50)), Is.EqualTo(5), "FEC_MAX 50 %");
            Assert.That(seed.ParityFor(250, true, new LinkState(0.05, 1, 3, 50)), Is.EqualTo(5), "k + m <= 255");
        });
    }

    [TestCase(4, 0.05, 1.0)]
    [TestCase(10, 0.05, 1.0)]
    [TestCase(30, 0.02, 1.0)]
    [TestCase(10, 0.05, 4.0)]
    [TestCase(60, 0.10, 3.0)]
    public void Residual_policy_picks_the_smallest_parity_meeting_its_target(int k, double loss, double burst)
    {
        var policy = new ResidualLossFecPolicy(targetResidual: 1e-3, maxOverhead: 3);
        var state = new LinkState(loss, burst, 2, 50);
        var m = policy.ParityFor(k, false, state);
        Assert.Multiple(() =>
        {
            Assert.That(policy.ResidualFor(k, m, state), Is.LessThanOrEqualTo(1e-3));
            Assert.That(m, Is.GreaterThan(0));
            Assert.That(policy.ResidualFor(k, m - 1, state), Is.GreaterThan(1e-3));
        });
    }

    [Test]
    public void Parity_is_capped_where_a_burst_would_need_more_than_the_frame_itself()
    {
        var policy = new ResidualLossFecPolicy();
        var fade = new LinkState(0.10, 8, 2, 50);
        Assert.Multiple(() =>
        {
            Assert.That(policy.ParityFor(10, false, fade), Is.EqualTo(5), "0.4 x 10 + 1");
            Assert.That(policy.ParityFor(10, true, fade), Is.EqualTo(11), "1.0 x 10 + 1");
            Assert.That(policy.ParityFor(250, true, fade), Is.EqualTo(5), "k + m <= 255");
        });
    }

    [Test]
    public void One_and_two_packet_frames_buy_a_whole_parity_packet_only_where_the_loss_makes_it_pay()
    {
        var policy = new ResidualLossFecPolicy();
        Assert.Multiple(() =>
        {
            Assert.That(policy.ParityFor(1, false, LinkState.Perfect), Is.Zero, "at the loss floor a one-packet frame meets the target alone");
            Assert.That(policy.ParityFor(1, false, new LinkState(0.002, 1, 2, 50)), Is.Zero, "0.2 % loss: doubling every frame costs more than the frames it saves");
            Assert.That(policy.ParityFor(2, false, new LinkState(0.002, 1, 2, 50)), Is.Zero);
            Assert.That(policy.ParityFor(1, false, new LinkState(0.03, 1, 2, 50)), Is.EqualTo(1), "3 % loss: the parity packet pays");
            Assert.That(policy.ParityFor(2, false, new LinkState(0.02, 1, 2, 50)), Is.EqualTo(1));
            Assert.That(policy.ParityFor(1, true, new LinkState(0.002, 1, 2, 50)), Is.EqualTo(1), "a keyframe is worth more");
        });
    }

    [Test]
    public void Keyframes_and_bursty_links_get_more_parity()
    {
        var policy = new ResidualLossFecPolicy();
        var random = new LinkState(0.05, 1, 2, 50);
        var bursty = new LinkState(0.05, 4, 2, 50);
        Assert.Multiple(() =>
        {
            Assert.That(policy.ParityFor(10, true, random), Is.GreaterThan(policy.ParityFor(10, false, random)));
            Assert.That(policy.ParityFor(10, false, bursty), Is.GreaterThan(policy.ParityFor(10, false, random)));
            Assert.That(policy.ParityFor(10, false, LinkState.Perfect), Is.EqualTo(1), "the loss floor keeps one parity");
        });
    }

    /// <summary>
    /// Frames of k data shards (deltas 3..12, a 40-shard keyframe every 60) go through the emulator with the
    /// policy's parity; a frame survives when at least k of its k + m packets arrive (RS recoverability).
    /// </summary>
    private static (double Residual, double Overhead, long KeyLost) SimulateBlocks(IFecPolicy policy, string spec, LinkState state, int frames)
    {
        var emulator = new NetworkEmulator(ImpairmentSpec.Parse(spec));
        var random = new DeterministicRandom(99);
        long lostFrames = 0, data = 0, parity = 0, keyLost = 0, time = 0;
        for (var f = 0; f < frames; f++)
        {
            var key = f % 60 == 0;
            var k = key ? 40 : 3 + (int)(random.NextUInt64() % 10);
            var m = policy.ParityFor(k, key, state);
            var arrived = 0;
            for (var i = 0; i < k + m; i++)
            {
                arrived += emulator.Submit(time += 100, 1200).Delivered ? 1 : 0;
            }
            data += k;
            parity += m;
            if (arrived < k)
            {
                lostFrames++;
                keyLost += key ? 1 : 0;
            }
        }
        return ((double)lostFrames / frames, (double)parity / data, keyLost);
    }

    /// <summary>Measures the link state as the receiver would report it (loss, burst, RFC 3550 jitter).</summary>
    private static LinkState Measure(string spec)
    {
        var emulator = new NetworkEmulator(ImpairmentSpec.Parse(spec + ",seed:1234"));
        var stats = new ReceiverStatistics();
        for (long seq = 0; seq < 50_000; seq++)
        {
            var send = seq * 1_000;
            var v = emulator.Submit(send, 1200);
            if (v.Delivered)
            {
                stats.OnPacket(seq, send, v.DeliveryTimeUs);
            }
        }
        return new LinkState(stats.LossRate, stats.MeanBurstLength, stats.JitterUs / 1000, 60);
    }

    [Test]
    public void Adaptive_fec_keeps_residual_under_half_a_percent_at_5_percent_loss_with_less_overhead_than_seed()
    {
        const string spec = "loss:5%,delay:30ms,jitter:10ms";
        var state = Measure(spec);
        var ours = SimulateBlocks(new ResidualLossFecPolicy(), spec, state, 30_000);
        var seed = SimulateBlocks(new SeedFecPolicy(), spec, state, 30_000);
        var none = SimulateBlocks(new SeedFecPolicy(0, 0), spec, state, 30_000);
        TestContext.Out.WriteLine($"measured loss {state.LossRate:P2}, burst {state.MeanBurstLength:F2}, jitter {state.JitterMs:F2} ms");
        TestContext.Out.WriteLine($"ours: residual {ours.Residual:P3}, overhead {ours.Overhead:P1}; seed: residual {seed.Residual:P3}, overhead {seed.Overhead:P1}; none: residual {none.Residual:P2}");
        Assert.Multiple(() =>
        {
            Assert.That(state.LossRate, Is.EqualTo(0.05).Within(0.005));
            Assert.That(ours.Residual, Is.LessThan(0.005));
            Assert.That(ours.Overhead, Is.LessThan(seed.Overhead));
            Assert.That(ours.KeyLost, Is.Zero, "keyframes have the stricter target");
            Assert.That(none.Residual, Is.GreaterThan(0.2), "without FEC a third of the frames would be lost");
        });
    }

    /// <summary>
    /// The shipped policy on a mildly bursty link (1 % in bursts of 2): the Gilbert model sizes parity for the
    /// bursts and keeps frame loss under half a percent, where the seed formula, blind to bursts, loses 2 %.
    /// </summary>
    [Test]
    public void Adaptive_fec_keeps_residual_under_half_a_percent_on_a_mildly_bursty_link()
    {
        const string spec = "loss:1%,burst:2";
        var state = Measure(spec);
        var ours = SimulateBlocks(new ResidualLossFecPolicy(), spec, state, 30_000);
        var seed = SimulateBlocks(new SeedFecPolicy(), spec, state, 30_000);
        TestContext.Out.WriteLine($"{spec}: measured loss {state.LossRate:P2}, burst {state.MeanBurstLength:F2}; " +
            $"ours: residual {ours.Residual:P3}, overhead {ours.Overhead:P1}; seed: residual {seed.Residual:P3}, overhead {seed.Overhead:P1}");
        Assert.Multiple(() =>
        {
            Assert.That(state.MeanBurstLength, Is.EqualTo(2).Within(0.2));
            Assert.That(ours.Residual, Is.LessThan(0.005));
            Assert.That(seed.Residual, Is.GreaterThan(0.02));
            Assert.That(ours.KeyLost, Is.Zero);
        });
    }

    /// <summary>
    /// The shipped policy where bursts would need more parity than its cap (5 % in bursts of 3 on frames of 3..12
    /// shards): it stops at the cap (0.4 k, and one more shard only where it saves more than it costs; past it media would pay more than frame loss saves, see
    /// <see cref="ResidualLossFecPolicy.MaxOverhead"/>) and still loses less than half the seed formula's frames,
    /// and no keyframe.
    /// </summary>
    [Test]
    public void Capped_adaptive_fec_halves_the_seed_formulas_frame_loss_on_a_heavily_bursty_link()
    {
        const string spec = "loss:5%,burst:3";
        var state = Measure(spec);
        var ours = SimulateBlocks(new ResidualLossFecPolicy(), spec, state, 30_000);
        var seed = SimulateBlocks(new SeedFecPolicy(), spec, state, 30_000);
        TestContext.Out.WriteLine($"{spec}: measured loss {state.LossRate:P2}, burst {state.MeanBurstLength:F2}; " +
            $"ours: residual {ours.Residual:P3}, overhead {ours.Overhead:P1}, keyframes lost {ours.KeyLost}; seed: residual {seed.Residual:P3}, overhead {seed.Overhead:P1}, keyframes lost {seed.KeyLost}");
        Assert.Multiple(() =>
        {
            Assert.That(state.MeanBurstLength, Is.EqualTo(3).Within(0.3));
            Assert.That(ours.Residual, Is.LessThan(seed.Residual / 2));
            Assert.That(ours.Overhead, Is.LessThan(0.6), "the cap holds: parity at most 0.4 k + 1 on every frame");
            Assert.That(ours.KeyLost, Is.Zero, "keyframes have the stricter target and a higher cap");
        });
    }
}
