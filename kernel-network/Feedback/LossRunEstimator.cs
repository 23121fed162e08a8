namespace Aqs.Kernel.Network.Feedback;

/// <summary>
/// Estimates loss rate and burstiness from the gaps in arriving sequence numbers: each gap is one loss run.
/// Gilbert parameters follow by counting: r = P(bad→good) = runs / lost packets (1 / mean burst),
/// p = P(good→bad) = runs / received packets. Counts are forgotten exponentially (<see cref="Forget"/>) so the
/// figures follow a changing link. A late packet that was counted lost is moved back to received.
/// </summary>
public sealed class LossRunEstimator
{
    private long _highest = -1;
    private double _lost;
    private double _received;
    private double _runs;

    public double LossRate => _lost + _received > 0 ? _lost / (_lost + _received) : 0;

    /// <summary>Mean loss-run length in packets; 1 when no loss has been seen.</summary>
    public double MeanBurstLength => _runs > 0 ? Math.Max(1, _lost / _runs) : 1;

    public double GoodToBad => _received > 0 ? Math.Min(1, _runs / _received) : 0;

    public double BadToGood => _lost > 0 ? Math.Min(1, _runs / _lost) : 1;

    /// <summary>Losses set aside as congestive (<see cref="OnPacket"/> with congested = true).</summary>
    public double CongestionLost { get; private set; }

    /// <summary>
    /// Records an arriving sequence number. When <paramref name="congested"/> says the packet closing a gap
    /// waited in a full queue, the gap is counted as congestion loss (the rate controller's business), not
    /// as the random or bursty channel loss that FEC is sized for.
    /// </summary>
    public void OnPacket(long sequence, bool congested = false)
    {
        if (_highest < 0)
        {
            _highest = sequence;
            _received++;
            return;
        }
        if (sequence > _highest)
        {
            var gap = sequence - _highest - 1;
            if (gap > 0 && congested)
            {
                CongestionLost += gap;
            }
            else if (gap > 0)
            {
                _lost += gap;
                _runs++;
            }
            _highest = sequence;
            _received++;
        }
        else if (_lost >= 1)
        {
            // Reordered: it was counted in a gap. The run count stays (it may have split a run; rare).
            _lost--;
            _received++;
        }
    }

    /// <summary>Multiplies all counts by <paramref name="keep"/> (e.g. 0.98 per report ≈ a few-second memory).</summary>
    public void Forget(double keep)
    {
        _lost *= keep;
        CongestionLost *= keep;
        _received *= keep;
        _runs *= keep;
    }
}
