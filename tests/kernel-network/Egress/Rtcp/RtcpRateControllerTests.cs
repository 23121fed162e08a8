using Aqs.Kernel.Network.Egress.Rtcp;

namespace Aqs.Kernel.Network.Tests.Egress.Rtcp;

public class RtcpRateControllerTests
{
    [Test]
    public void High_loss_bounds_the_rate_below_what_was_sent_once_per_rtt_window()
    {
        var rate = new RtcpRateController();
        var first = rate.Update(0.2, 2_000_000, 40, 1_000_000);
        var soon = rate.Update(0.2, 2_000_000, 40, 1_100_000);
        var later = rate.Update(0.2, 2_000_000, 40, 1_400_000);
        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(2_000_000 * 0.9).Within(1e-6));
            Assert.That(soon, Is.EqualTo(first), "losses of packets still in flight do not count twice");
            Assert.That(later, Is.EqualTo(first!.Value * 0.9).Within(1e-6));
        });
    }

    [Test]
    public void Low_loss_lifts_the_bound_until_it_no_longer_binds()
    {
        var rate = new RtcpRateController();
        rate.Update(0.3, 1_000_000, 0, 0);
        var steps = 0;
        while (rate.Update(0.0, 1_000_000, 0, steps * 1_000_000L) is not null)
        {
            steps++;
            Assert.That(steps, Is.LessThan(100));
        }
        Assert.That(steps, Is.InRange(10, 20), "8 % a report from 0.85 to 2x the sending rate");
    }

    [Test]
    public void Moderate_loss_holds_the_bound_and_no_loss_sets_none()
    {
        var rate = new RtcpRateController();
        Assert.That(rate.Update(0.0, 1_000_000, 0, 0), Is.Null);
        var bound = rate.Update(0.5, 1_000_000, 0, 1_000_000);
        Assert.That(rate.Update(0.05, 1_000_000, 0, 2_000_000), Is.EqualTo(bound));
    }
}
