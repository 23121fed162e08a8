namespace Aqs.Kernel.Network.FecPolicy;

/// <summary>
/// The seed document's rule (section 10.3): <c>fec_rate = clamp(2·loss + 0.5·jitter, FEC_MIN, FEC_MAX)</c>,
/// I-frames at FEC_PROTECTION_HIGH. The seed gives no units or bounds; we read loss as a fraction (0..1),
/// jitter in ms (the seed's unit for jitter elsewhere, <c>allowed_jitter = 10 // ms</c>), fec_rate as parity
/// per data shard, FEC_MIN = 5 %, FEC_MAX = 50 %, and "high protection" as twice the rate (up to FEC_MAX).
/// Read this way the jitter term dominates: 1 ms of jitter already adds 50 %.
/// Parity = ⌈k · rate⌉. Kept as the baseline our <see cref="ResidualLossFecPolicy"/> is measured against.
/// </summary>
public sealed class SeedFecPolicy : IFecPolicy
{
    public SeedFecPolicy(double fecMin = 0.05, double fecMax = 0.5)
    {
        if (fecMin < 0 || fecMax < fecMin)
        {
            throw new ArgumentOutOfRangeException(nameof(fecMin), $"need 0 <= FEC_MIN <= FEC_MAX: {fecMin}, {fecMax}");
        }
        FecMin = fecMin;
        FecMax = fecMax;
    }

    public double FecMin { get; }
    public double FecMax { get; }

    public double RateFor(bool keyframe, LinkState state)
    {
        var rate = Math.Clamp(state.LossRate * 2.0 + state.JitterMs * 0.5, FecMin, FecMax);
        return keyframe ? Math.Min(FecMax, 2 * rate) : rate;
    }

    public int ParityFor(int dataShards, bool keyframe, LinkState state)
    {
        if (dataShards <= 0)
        {
            return 0;
        }
        var parity = (int)Math.Ceiling(dataShards * RateFor(keyframe, state) - 1e-9);
        return Math.Clamp(parity, 0, 255 - dataShards);
    }
}
