namespace Aqs.Kernel.Network.FecPolicy;

/// <summary>
/// Our policy: the smallest parity m such that the probability that a k + m block loses more than m
/// packets (and so the frame) stays under a target: <see cref="TargetResidual"/> for ordinary frames,
/// the stricter <see cref="KeyframeTargetResidual"/> for keyframes (a lost keyframe stalls the stream until
/// the next one). Binomial for independent loss, the Gilbert chain when the measured mean burst exceeds
/// <see cref="BurstThreshold"/>. The loss rate is floored at <see cref="MinLossRate"/> so a short clean spell
/// does not strip all protection. Results are cached per (k, keyframe) until the link state changes.
/// Single-threaded.
/// </summary>
public sealed class ResidualLossFecPolicy : IFecPolicy
{
    public const double BurstThreshold = 1.2;

    private readonly short[] _cacheDelta = new short[ResidualLossModel.MaxBlock + 1];
    private readonly short[] _cacheKey = new short[ResidualLossModel.MaxBlock + 1];
    private LinkState _cachedFor = new(double.NaN, 0, 0, 0);

    public ResidualLossFecPolicy(double targetResidual = 1e-3, double keyframeTargetResidual = 1e-4,
        double minLossRate = 1e-3, double maxOverhead = 0.4, double keyframeMaxOverhead = 1.0)
    {
        if (targetResidual is <= 0 or >= 1 || keyframeTargetResidual is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(targetResidual), $"targets must be in (0, 1): {targetResidual}, {keyframeTargetResidual}");
        }
        TargetResidual = targetResidual;
        KeyframeTargetResidual = keyframeTargetResidual;
        MinLossRate = minLossRate;
        MaxOverhead = maxOverhead;
        KeyframeMaxOverhead = keyframeMaxOverhead;
    }

    public double TargetResidual { get; }
    public double KeyframeTargetResidual { get; }
    public double MinLossRate { get; }

    /// <summary>
    /// Most parity per data shard for ordinary frames (m ≤ MaxOverhead·k, plus one shard where the frame loss it saves
    /// is worth its bits: see <see cref="LostFrameCostFrames"/>). Against bursts (a queue
    /// overflow, a radio fade) a per-frame block needs several times its size in parity to meet the target, and
    /// media + parity share the estimate, so every parity shard past the cap costs a media shard for a small cut
    /// in frame loss; retransmission or the next keyframe is the cheaper cure there. 0.4 (was 0.6) is where the
    /// closed-loop trace bench stopped trading goodput for frame loss: under 3 % loss in bursts of 3, goodput
    /// 1.02x the seed formula's at 12.0 % frame loss (0.6: 0.91x at 11.5 %; seed 12.2 %), with random loss and
    /// trace-only profiles unchanged or better (tests/bench/results/traces.md).
    /// </summary>
    public double MaxOverhead { get; }

    /// <summary>The same cap for keyframes, higher: a lost keyframe costs the whole GOP.</summary>
    public double KeyframeMaxOverhead { get; }

    public int ParityFor(int dataShards, bool keyframe, LinkState state)
    {
        if (dataShards <= 0)
        {
            return 0;
        }
        dataShards = Math.Min(dataShards, ResidualLossModel.MaxBlock);
        if (!state.Equals(_cachedFor))
        {
            Array.Clear(_cacheDelta);
            Array.Clear(_cacheKey);
            _cachedFor = state;
        }
        var cache = keyframe ? _cacheKey : _cacheDelta;
        if (cache[dataShards] != 0)
        {
            return cache[dataShards] - 1;
        }
        var parity = Compute(dataShards, keyframe ? KeyframeTargetResidual : TargetResidual, keyframe ? KeyframeMaxOverhead : MaxOverhead,
            keyframe ? KeyframeLostCostFrames : LostFrameCostFrames, state, MinLossRate);
        cache[dataShards] = (short)(parity + 1);
        return parity;
    }

    /// <summary>Residual frame-loss probability with <paramref name="parity"/> shards under <paramref name="state"/>.</summary>
    public double ResidualFor(int dataShards, int parity, LinkState state)
    {
        var loss = Math.Clamp(Math.Max(state.LossRate, MinLossRate), 0, 0.95);
        return state.MeanBurstLength > BurstThreshold
            ? ResidualLossModel.GilbertTail(dataShards, parity, loss, state.MeanBurstLength)
            : ResidualLossModel.BinomialTail(dataShards, parity, loss);
    }

    /// <summary>
    /// What losing an ordinary frame costs, in frames' worth of bits: the picture freezes until a keyframe answers the
    /// request (a round trip and the keyframe's own transmission, 6-18 frames at 60 fps) and that keyframe costs 5-10
    /// frames of bits. The parity shard past the proportional cap is spent only when it saves more than it costs.
    /// </summary>
    public const double LostFrameCostFrames = 100;

    /// <summary>The same for a keyframe: losing it costs everything until the next one.</summary>
    public const double KeyframeLostCostFrames = 400;

    private static int Compute(int k, double target, double maxOverhead, double lostCost, LinkState state, double minLossRate)
    {
        var proportional = (int)(maxOverhead * k);
        var maxParity = Math.Min(ResidualLossModel.MaxBlock - k, proportional + 1);
        var loss = Math.Clamp(Math.Max(state.LossRate, minLossRate), 0, 0.95);
        Span<double> tails = stackalloc double[ResidualLossModel.MaxBlock + 1];
        if (state.MeanBurstLength > BurstThreshold)
        {
            ResidualLossModel.GilbertTails(k, maxParity, loss, state.MeanBurstLength, tails);
        }
        else
        {
            for (var m = 0; m <= maxParity; m++)
            {
                tails[m] = ResidualLossModel.BinomialTail(k, m, loss);
            }
        }
        // A hair of tolerance: 1 - (1 - p) is not exactly p in floating point, and a one-packet frame at the loss floor
        // would otherwise always buy a whole parity packet.
        var m0 = maxParity;
        for (var m = 0; m <= maxParity; m++)
        {
            if (tails[m] <= target * (1 + 1e-9))
            {
                m0 = m;
                break;
            }
        }
        // The shard past maxOverhead·k (all the parity a one- or two-packet frame may get): a parity shard costs 1/k of
        // the frame, a lost frame costs lostCost frames; below that break-even the shard is not worth its bits.
        if (m0 > proportional && m0 > 0 && (tails[m0 - 1] - tails[m0]) * lostCost < 1.0 / k)
        {
            m0--;
        }
        return m0;
    }
}
