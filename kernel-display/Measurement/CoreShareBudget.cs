namespace Aqs.Kernel.Display.Measurement;

/// <summary>
/// A share of one core as a token bucket: credit grows at <see cref="Share"/> ns per ns of wall time (up to one
/// second's worth) and each piece of work spends what it took. Work is taken only while credit is positive, so
/// over any stretch longer than a second the work done stays within the share. Time is passed in. Not thread-safe.
/// </summary>
public sealed class CoreShareBudget
{
    private readonly long _capNs;
    private double _creditNs;
    private long _lastNs = long.MinValue;

    public CoreShareBudget(double share)
    {
        if (!(share > 0 && share <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(share), share, "core share must be over 0 and at most 1");
        }
        Share = share;
        _capNs = (long)(share * 1e9);
        _creditNs = _capNs;
    }

    public double Share { get; }

    /// <summary>True when work may start at <paramref name="nowNs"/>.</summary>
    public bool HasCredit(long nowNs)
    {
        Refill(nowNs);
        return _creditNs > 0;
    }

    /// <summary>Work that took <paramref name="busyNs"/> ended at <paramref name="nowNs"/>.</summary>
    public void Spend(long nowNs, long busyNs)
    {
        Refill(nowNs);
        _creditNs -= busyNs;
    }

    private void Refill(long nowNs)
    {
        if (_lastNs != long.MinValue && nowNs > _lastNs)
        {
            _creditNs = Math.Min(_capNs, _creditNs + Share * (nowNs - _lastNs));
        }
        _lastNs = Math.Max(_lastNs, nowNs);
    }
}
