using Aqs.Kernel.Network.FecPolicy;

namespace Aqs.Kernel.Network.Tests.FecPolicy;

public class ResidualLossModelTests
{
    [Test]
    public void Binomial_tail_matches_hand_computed_values()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ResidualLossModel.BinomialTail(1, 0, 0.1), Is.EqualTo(0.1).Within(1e-12));
            // P(more than 1 of 3 lost) = 3·0.1²·0.9 + 0.1³
            Assert.That(ResidualLossModel.BinomialTail(2, 1, 0.1), Is.EqualTo(0.028).Within(1e-12));
            Assert.That(ResidualLossModel.BinomialTail(10, 0, 0.05), Is.EqualTo(1 - Math.Pow(0.95, 10)).Within(1e-12));
            Assert.That(ResidualLossModel.BinomialTail(10, 3, 0), Is.Zero);
        });
    }

    [TestCase(5, 2, 0.05)]
    [TestCase(20, 6, 0.1)]
    [TestCase(100, 20, 0.08)]
    public void Gilbert_chain_with_memoryless_parameters_equals_binomial(int k, int m, double loss)
    {
        // Mean burst 1/(1-L) gives P(good→bad) = L and P(bad→good) = 1-L: independent losses.
        var gilbert = ResidualLossModel.GilbertTail(k, m, loss, 1 / (1 - loss));
        Assert.That(gilbert, Is.EqualTo(ResidualLossModel.BinomialTail(k, m, loss)).Within(1e-12));
    }

    [Test]
    public void Bursty_loss_is_harder_to_repair_than_independent_loss_at_the_same_mean()
    {
        Assert.That(ResidualLossModel.GilbertTail(10, 4, 0.05, 4), Is.GreaterThan(5 * ResidualLossModel.BinomialTail(10, 4, 0.05)));
    }

    [Test]
    public void Gilbert_tails_fall_as_parity_grows()
    {
        Span<double> tails = stackalloc double[ResidualLossModel.MaxBlock + 1];
        ResidualLossModel.GilbertTails(12, 30, 0.05, 3, tails);
        for (var m = 1; m <= 30; m++)
        {
            Assert.That(tails[m], Is.LessThanOrEqualTo(tails[m - 1]));
        }
        Assert.That(tails[30], Is.LessThan(1e-4));
    }
}
