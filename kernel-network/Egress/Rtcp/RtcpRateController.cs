namespace Aqs.Kernel.Network.Egress.Rtcp;

/// <summary>
/// A bandwidth bound from a standard receiver's RTCP reports, which carry loss, jitter and the echo for RTT but no
/// arrival times: GCC's loss-based rule (draft-ietf-rmcat-gcc §6) on each report's fraction lost. Above 10 % loss
/// the bound becomes the rate we were sending times (1 − 0.5·loss), at most once per 300 ms + RTT; under 2 % it
/// grows 8 % a report, and once it is twice what we send it no longer binds (null). Between the two it holds.
/// Time is passed in.
/// </summary>
public sealed class RtcpRateController
{
    private const double HighLoss = 0.10;
    private const double LowLoss = 0.02;
    private const double Growth = 1.08;
    private readonly double _minBps;
    private long _lastDecreaseUs = long.MinValue / 2; // "now - it" must not overflow

    public RtcpRateController(double minBps = 50_000)
    {
        _minBps = minBps;
    }

    /// <summary>The bound the receiver's losses put on our rate, or null while they put none.</summary>
    public double? BoundBps { get; private set; }

    public double? Update(double lossFraction, double sendRateBps, double rttMs, long nowUs)
    {
        if (lossFraction > HighLoss)
        {
            if (nowUs - _lastDecreaseUs >= 300_000 + (long)(rttMs * 1000))
            {
                var from = BoundBps is { } bound ? Math.Min(bound, sendRateBps) : sendRateBps;
                BoundBps = Math.Max(_minBps, from * (1 - 0.5 * lossFraction));
                _lastDecreaseUs = nowUs;
            }
        }
        else if (lossFraction < LowLoss && BoundBps is { } bound)
        {
            var grown = bound * Growth;
            BoundBps = grown >= 2 * sendRateBps && sendRateBps > 0 ? null : grown;
        }
        return BoundBps;
    }
}
