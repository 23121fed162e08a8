namespace Aqs.Kernel.Network.Emulation;

/// <summary>
/// Two-state packet-loss channel (the simple Gilbert model: the good state never loses, the bad state always
/// does). Parametrised by the mean loss L and mean burst length B: leaving bad has probability r = 1/B per
/// packet, entering it p = L·r/(1−L), so the stationary share of bad packets is p/(p+r) = L.
/// With B ≤ 1 it degenerates to independent (Bernoulli) loss with probability L.
/// </summary>
public sealed class GilbertElliottLoss
{
    private readonly DeterministicRandom _random;
    private bool _bad;

    public GilbertElliottLoss(double lossRate, double meanBurstLength, DeterministicRandom random)
    {
        if (lossRate is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(lossRate), $"loss rate must be in [0, 1): {lossRate}");
        }
        _random = random;
        LossRate = lossRate;
        IsBursty = meanBurstLength > 1 && lossRate > 0;
        if (IsBursty)
        {
            GoodToBad = GilbertParameters.GoodToBad(lossRate, meanBurstLength);
            BadToGood = 1 / meanBurstLength;
            // Start in the stationary distribution so short runs are unbiased.
            _bad = _random.Chance(lossRate);
        }
    }

    public double LossRate { get; }
    public bool IsBursty { get; }

    /// <summary>P(good → bad) per packet.</summary>
    public double GoodToBad { get; }

    /// <summary>P(bad → good) per packet = 1 / mean burst length.</summary>
    public double BadToGood { get; }

    /// <summary>Decides the fate of the next packet: true = lost.</summary>
    public bool NextIsLost()
    {
        if (!IsBursty)
        {
            return _random.Chance(LossRate);
        }
        var lost = _bad;
        _bad = _bad ? !_random.Chance(BadToGood) : _random.Chance(GoodToBad);
        return lost;
    }
}

/// <summary>Conversions between (mean loss, mean burst) and the Gilbert chain's transition probabilities.</summary>
public static class GilbertParameters
{
    /// <summary>p = L / ((1 − L)·B).</summary>
    public static double GoodToBad(double lossRate, double meanBurstLength) =>
        Math.Min(1.0, lossRate / ((1 - lossRate) * Math.Max(1.0, meanBurstLength)));
}
