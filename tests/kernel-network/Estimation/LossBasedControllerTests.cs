using Aqs.Kernel.Network.Estimation;

namespace Aqs.Kernel.Network.Tests.Estimation;

public class LossBasedControllerTests
{
    [Test]
    public void Heavy_loss_cuts_the_bound_at_its_first_report()
    {
        var controller = new LossBasedController(4e6);

        var bound = controller.Update(expected: 100, lost: 30, nowUs: 5_000_000, rttUs: 50_000, delayBasedBps: 4e6, minBps: 100_000);

        // 1 - 0.5 * 30 % = 0.85 of the rate, from the very first report (no earlier decrease to wait after).
        Assert.That(bound, Is.EqualTo(4e6 * 0.85).Within(1.0));
        Assert.That(controller.Limiting, Is.True);
    }

    [Test]
    public void A_second_heavy_loss_report_within_300_ms_plus_rtt_does_not_cut_again()
    {
        var controller = new LossBasedController(4e6);
        controller.Update(100, 30, 5_000_000, 50_000, 4e6, 100_000);

        var bound = controller.Update(100, 30, 5_100_000, 50_000, 4e6, 100_000);

        Assert.That(bound, Is.EqualTo(4e6 * 0.85).Within(1.0));
    }
}
