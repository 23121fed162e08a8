namespace Aqs.Kernel.Network.Estimation;

/// <summary>
/// GCC's loss-based rate (draft-ietf-rmcat-gcc section 6): loss above 10 % multiplies the rate by
/// (1 − 0.5·loss), at most once per 300 ms + RTT (the losses of packets still in flight must not count
/// twice), and the bound then holds until an evaluation finds loss below 2 %; outside such a loss episode it
/// follows the delay-based estimate (the draft grows 5 % per report; at our 50 ms reports and with probes setting
/// the delay-based rate, a separate slow climb here would only hold the rate down). Loss is evaluated over at least
/// <see cref="MinPackets"/> packets so a single loss at a low rate is not read as 20 %. The rate never
/// exceeds the delay-based estimate (the draft's As ≤ Ar).
/// </summary>
public sealed class LossBasedController
{
    public const int MinPackets = 40;
    private long _expected;
    private long _lost;
    private long _lastDecreaseUs = long.MinValue / 2; // "now - it" must not overflow
    private bool _limiting;

    public LossBasedController(double startBps)
    {
        EstimateBps = startBps;
    }

    /// <summary>True after a high-loss evaluation until a low-loss one: the bound holds the rate down.</summary>
    public bool Limiting => _limiting;

    public double EstimateBps { get; private set; }
    public double LastLossFraction { get; private set; }

    /// <summary>A capacity measurement (probe) replaces the bound.</summary>
    public void SetEstimate(double bps) => EstimateBps = bps;

    public double Update(int expected, int lost, long nowUs, double rttUs, double delayBasedBps, double minBps)
    {
        _expected += expected;
        _lost += lost;
        if (_expected >= MinPackets)
        {
            var loss = (double)_lost / _expected;
            LastLossFraction = loss;
            _expected = 0;
            _lost = 0;
            if (loss > 0.10)
            {
                if (nowUs - _lastDecreaseUs >= 300_000 + (long)rttUs)
                {
                    EstimateBps *= 1 - 0.5 * loss;
                    _lastDecreaseUs = nowUs;
                }
                _limiting = true;
            }
            else if (loss < 0.02)
            {
                // Low loss lifts the bound to the delay-based estimate: how fast the rate climbs is
                // the AIMD's business, not this controller's.
                _limiting = false;
            }
        }
        if (!_limiting)
        {
            // Not since a loss episode: the bound follows the delay-based estimate between evaluations
            // (at a low rate MinPackets takes seconds to gather, and must not hold the rate down meanwhile).
            EstimateBps = delayBasedBps;
        }
        EstimateBps = Math.Max(minBps, Math.Min(EstimateBps, delayBasedBps));
        return EstimateBps;
    }
}
