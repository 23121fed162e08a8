using Aqs.Kernel.Display.Presentation;

namespace Aqs.Kernel.Display.Tests.Presentation;

public sealed class JitterBufferTests
{
    private const long Ms = 1_000_000;
    private static readonly TimeSpan Refresh = TimeSpan.FromTicks(166_667);

    [Test]
    public void On_a_steady_link_the_adaptive_buffer_stays_empty_and_pictures_are_due_after_the_fastest_transit()
    {
        var buffer = new JitterBuffer(JitterBufferMode.Adaptive, TimeSpan.Zero, Refresh);
        var rng = new Random(3);
        for (var i = 0; i < 600; i++)
        {
            buffer.OnReady(i * 16 * Ms, (10 + rng.Next(0, 20)) * Ms, 16 * Ms);
        }
        Assert.That(buffer.BufferNs, Is.Zero, "jitter of 20 ms cannot make a 166 ms freeze");
        Assert.That(buffer.BaseNs, Is.EqualTo(10 * Ms));
        Assert.That(buffer.PlayoutDelayNs, Is.EqualTo(10 * Ms));
    }

    [Test]
    public void Spikes_that_would_freeze_grow_the_buffer_to_the_quantile_less_the_freeze_allowance()
    {
        var buffer = new JitterBuffer(JitterBufferMode.Adaptive, TimeSpan.Zero, Refresh, quantile: 0.95, maximum: TimeSpan.FromSeconds(1));
        for (var i = 0; i < 120; i++)
        {
            // Every tenth picture is 400 ms late: 10 % of excesses are 400 ms, so the 95th percentile is 400 ms.
            buffer.OnReady(i * 16 * Ms, (i % 10 == 0 ? 410 : 10) * Ms, 16 * Ms);
        }
        // 400 ms − max(2 × 16, 150) + one refresh.
        Assert.That(buffer.BufferNs, Is.EqualTo(400 * Ms - 150 * Ms + (long)Refresh.TotalNanoseconds).Within(Ms));
    }

    [Test]
    public void The_buffer_shrinks_gradually_once_spikes_leave_the_window()
    {
        var buffer = new JitterBuffer(JitterBufferMode.Adaptive, TimeSpan.Zero, Refresh, quantile: 0.95, maximum: TimeSpan.FromSeconds(1));
        var t = 0L;
        for (var i = 0; i < 120; i++, t += 16 * Ms)
        {
            buffer.OnReady(t, (i % 10 == 0 ? 410 : 10) * Ms, 16 * Ms);
        }
        var peak = buffer.BufferNs;
        var steps = new List<long>();
        for (var i = 0; i < 400; i++, t += 16 * Ms)
        {
            buffer.OnReady(t, 10 * Ms, 16 * Ms);
            steps.Add(buffer.BufferNs);
        }
        var firstShrink = steps.First(b => b < peak);
        Assert.That(peak - firstShrink, Is.LessThanOrEqualTo((long)Refresh.TotalNanoseconds / 4), "a quarter of a refresh per picture, not dropped at once");
        Assert.That(buffer.BufferNs, Is.Zero, "gone a few seconds later");
    }

    [Test]
    public void The_adaptive_buffer_stops_at_its_ceiling_so_a_long_spike_is_a_freeze_not_a_delay_for_everyone()
    {
        var buffer = new JitterBuffer(JitterBufferMode.Adaptive, TimeSpan.Zero, Refresh, quantile: 0.95);
        for (var i = 0; i < 120; i++)
        {
            buffer.OnReady(i * 16 * Ms, (i % 10 == 0 ? 2010 : 10) * Ms, 16 * Ms);
        }
        Assert.That(buffer.BufferNs, Is.EqualTo(150 * Ms), "the default ceiling");
    }

    [Test]
    public void Off_never_buffers_and_fixed_adds_its_size()
    {
        var off = new JitterBuffer(JitterBufferMode.Off, TimeSpan.Zero, Refresh);
        var fixedBuffer = new JitterBuffer(JitterBufferMode.Fixed, TimeSpan.FromMilliseconds(40), Refresh);
        for (var i = 0; i < 50; i++)
        {
            off.OnReady(i * 16 * Ms, (i % 5 == 0 ? 900 : 10) * Ms, 16 * Ms);
            fixedBuffer.OnReady(i * 16 * Ms, (i % 5 == 0 ? 900 : 10) * Ms, 16 * Ms);
        }
        Assert.That(off.PlayoutDelayNs, Is.EqualTo(10 * Ms));
        Assert.That(fixedBuffer.PlayoutDelayNs, Is.EqualTo(50 * Ms));
    }
}
