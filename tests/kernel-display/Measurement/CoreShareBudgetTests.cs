using Aqs.Kernel.Display.Measurement;

namespace Aqs.Kernel.Display.Tests.Measurement;

public sealed class CoreShareBudgetTests
{
    private const long Ms = 1_000_000;

    [TestCase(0.25)]
    [TestCase(0.5)]
    [TestCase(1.0)]
    public void Work_offered_faster_than_the_share_allows_is_held_to_the_share(double share)
    {
        // 20 ms of work offered every 16 ms (125 % of a core) for 20 s.
        var budget = new CoreShareBudget(share);
        long busy = 0;
        for (var t = 0L; t < 20_000 * Ms; t += 16 * Ms)
        {
            if (budget.HasCredit(t))
            {
                busy += 20 * Ms;
                budget.Spend(t + 20 * Ms, 20 * Ms);
            }
        }
        var allowed = share * 20_000 * Ms + share * 1000 * Ms + 20 * Ms; // the share, plus the one-second credit and one job
        Assert.That(busy, Is.LessThanOrEqualTo(allowed));
        Assert.That(busy, Is.GreaterThan(share * 20_000 * Ms * 0.9), "and close to the share, not far below it");
    }

    [Test]
    public void Work_below_the_share_is_always_taken()
    {
        var budget = new CoreShareBudget(0.5);
        var refused = 0;
        for (var t = 0L; t < 10_000 * Ms; t += 16 * Ms)
        {
            if (!budget.HasCredit(t))
            {
                refused++;
                continue;
            }
            budget.Spend(t + 4 * Ms, 4 * Ms); // 25 % of a core
        }
        Assert.That(refused, Is.Zero);
    }

    [TestCase(0.0)]
    [TestCase(1.5)]
    [TestCase(double.NaN)]
    public void A_share_outside_0_to_1_is_refused(double share) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new CoreShareBudget(share));
}
