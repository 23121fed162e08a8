namespace Aqs.Kernel.Network.FecPolicy;

/// <summary>
/// Probability that a block of n = k + m packets loses more than m (Reed-Solomon then cannot recover it).
/// Independent loss: binomial tail. Bursty loss: the Gilbert chain (good never loses, bad always does,
/// P(good→bad) = p, P(bad→good) = 1/B, starting in the stationary state) run packet by packet as a
/// dynamic program over (state, losses so far): O(n²) for all m at once.
/// </summary>
public static class ResidualLossModel
{
    public const int MaxBlock = 255;

    /// <summary>P(more than m of k+m lost) with independent loss probability <paramref name="loss"/>.</summary>
    public static double BinomialTail(int k, int m, double loss)
    {
        var n = k + m;
        if (loss <= 0)
        {
            return 0;
        }
        if (loss >= 1)
        {
            return 1;
        }
        // Sum the pmf up to m from log space (stable for n up to 255), tail = 1 − cdf.
        double cdf = 0;
        var logP = Math.Log(loss);
        var logQ = Math.Log(1 - loss);
        var logChoose = 0.0;
        for (var j = 0; j <= m; j++)
        {
            if (j > 0)
            {
                logChoose += Math.Log(n - j + 1) - Math.Log(j);
            }
            cdf += Math.Exp(logChoose + j * logP + (n - j) * logQ);
        }
        return Math.Clamp(1 - cdf, 0, 1);
    }

    /// <summary>P(more than m of k+m lost) on a Gilbert channel with mean loss L and mean burst B.</summary>
    public static double GilbertTail(int k, int m, double loss, double meanBurst)
    {
        Span<double> tails = stackalloc double[MaxBlock + 1];
        GilbertTails(k, Math.Min(m, MaxBlock - k), loss, meanBurst, tails);
        return tails[m];
    }

    /// <summary>Fills tails[m] = P(more than m of k+m lost) for m = 0..maxParity.</summary>
    public static void GilbertTails(int k, int maxParity, double loss, double meanBurst, Span<double> tails)
    {
        if (loss <= 0)
        {
            tails[..(maxParity + 1)].Clear();
            return;
        }
        var r = 1 / Math.Max(1, meanBurst);
        var p = Math.Min(1, loss * r / (1 - loss));
        var n = k + maxParity;
        // good[j], bad[j]: probability of being in that state before the next packet with j losses so far.
        Span<double> good = stackalloc double[MaxBlock + 2];
        Span<double> bad = stackalloc double[MaxBlock + 2];
        good.Clear();
        bad.Clear();
        good[0] = 1 - loss;
        bad[0] = loss;
        for (var step = 1; step <= n; step++)
        {
            // The packet is lost in bad, kept in good; then the chain moves.
            for (var j = Math.Min(step, n); j >= 0; j--)
            {
                var fromGood = good[j];
                var fromBad = j > 0 ? bad[j - 1] : 0;
                good[j] = fromGood * (1 - p) + fromBad * r;
                bad[j] = fromGood * p + fromBad * (1 - r);
            }
            var m = step - k;
            if (m >= 0)
            {
                double cdf = 0;
                for (var j = 0; j <= m; j++)
                {
                    cdf += good[j] + bad[j];
                }
                tails[m] = Math.Clamp(1 - cdf, 0, 1);
            }
        }
    }
}
