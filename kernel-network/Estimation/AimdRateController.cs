namespace Aqs.Kernel.Network.Estimation;

/// <summary>
/// GCC's delay-based rate: a state machine driven by the detector (overuse → Decrease, underuse → Hold,
/// normal → Increase from Hold). Decrease sets the rate to <see cref="BweSettings.Beta"/> × the measured
/// incoming (acked) rate, not a fraction of the old estimate, so repeated overuse signals do not compound.
/// Increase is multiplicative far from the last known capacity and additive near it (within 3σ of the
/// averaged acked rate at past overuses, libwebrtc's link-capacity estimate).
/// </summary>
public sealed class AimdRateController
{
    private enum RateState { Hold, Increase, Decrease }

    private readonly BweSettings _settings;
    private RateState _state = RateState.Hold;
    private long _lastUpdateUs = long.MinValue;
    private long _lastDecreaseUs = long.MinValue;
    private double? _linkCapacityKbps;
    private double _linkDeviation = 0.4;
    private bool _seenOveruse;

    public AimdRateController(BweSettings settings)
    {
        _settings = settings;
        EstimateBps = settings.StartBps;
    }

    public double EstimateBps { get; private set; }

    /// <summary>True while the estimate is near the last measured capacity (additive increase).</summary>
    public bool NearCapacity => _linkCapacityKbps is not null && EstimateBps / 1000 < UpperBoundKbps;

    private double UpperBoundKbps => _linkCapacityKbps is { } c ? c + 3 * Math.Sqrt(c * _linkDeviation) : double.PositiveInfinity;

    private double LowerBoundKbps => _linkCapacityKbps is { } c ? Math.Max(0, c - 3 * Math.Sqrt(c * _linkDeviation)) : 0;

    /// <summary>Sets the estimate from a measurement (a probe result), as libwebrtc's AimdRateControl::SetEstimate.</summary>
    public double SetEstimate(double bps, long nowUs)
    {
        if (bps < EstimateBps)
        {
            _lastDecreaseUs = nowUs;
        }
        EstimateBps = Math.Clamp(bps, _settings.MinBps, _settings.MaxBps);
        _lastUpdateUs = nowUs;
        return EstimateBps;
    }

    public double Update(BandwidthUsage usage, double? ackedBps, long nowUs, double rttUs)
    {
        if (_lastUpdateUs == long.MinValue)
        {
            _lastUpdateUs = nowUs;
        }
        switch (usage)
        {
            case BandwidthUsage.Overusing:
                _state = RateState.Decrease;
                break;
            case BandwidthUsage.Underusing:
                _state = RateState.Hold;
                break;
            default:
                if (_state == RateState.Hold)
                {
                    _state = RateState.Increase;
                }
                break;
        }
        var dtSeconds = Math.Clamp((nowUs - _lastUpdateUs) / 1e6, 0, 1);
        switch (_state)
        {
            case RateState.Increase:
                Increase(ackedBps, dtSeconds, rttUs);
                break;
            case RateState.Decrease:
                Decrease(ackedBps, nowUs, rttUs);
                break;
        }
        if (usage == BandwidthUsage.Normal && ackedBps is { } through)
        {
            // Throughput bound: a rate that got through with the queue steady is safe to ask for again.
            EstimateBps = Math.Max(EstimateBps, _settings.AckedFloor * through);
        }
        EstimateBps = Math.Clamp(EstimateBps, _settings.MinBps, _settings.MaxBps);
        _lastUpdateUs = nowUs;
        return EstimateBps;
    }

    private void Increase(double? ackedBps, double dtSeconds, double rttUs)
    {
        if (ackedBps is { } acked && acked / 1000 > UpperBoundKbps)
        {
            // We get more through than the old capacity allows: the link grew, forget it.
            _linkCapacityKbps = null;
        }
        double next;
        if (_linkCapacityKbps is not null)
        {
            var responseSeconds = rttUs / 1e6 + 0.1;
            var perPacket = _settings.PacketBits / responseSeconds;
            var increasePerSecond = Math.Max(perPacket, _settings.AdditiveIncreaseFraction * EstimateBps);
            next = EstimateBps + increasePerSecond * dtSeconds;
        }
        else
        {
            var rate = _seenOveruse ? _settings.MultiplicativeIncreasePerSecond : _settings.StartupIncreasePerSecond;
            next = EstimateBps * Math.Pow(1 + rate, dtSeconds);
        }
        if (ackedBps is { } a)
        {
            // An estimate far above what actually gets through means nothing; keep it within reach.
            next = Math.Min(next, Math.Max(EstimateBps, 1.5 * a + 10_000));
        }
        EstimateBps = next;
    }

    private void Decrease(double? ackedBps, long nowUs, double rttUs)
    {
        if (ackedBps is not { } acked)
        {
            _state = RateState.Hold;
            return;
        }
        var decreased = _settings.Beta * acked;
        if (decreased > EstimateBps && _linkCapacityKbps is { } c)
        {
            decreased = _settings.Beta * c * 1000;
        }
        if (decreased < EstimateBps)
        {
            EstimateBps = decreased;
            _lastDecreaseUs = nowUs;
        }
        _seenOveruse = true;
        var ackedKbps = acked / 1000;
        if (ackedKbps < LowerBoundKbps)
        {
            _linkCapacityKbps = null;
        }
        OnOveruseAt(ackedKbps);
        _state = RateState.Hold;
    }

    private void OnOveruseAt(double ackedKbps)
    {
        if (_linkCapacityKbps is not { } c)
        {
            _linkCapacityKbps = ackedKbps;
            return;
        }
        const double alpha = 0.05;
        c = (1 - alpha) * c + alpha * ackedKbps;
        var norm = Math.Max(c, 1.0);
        var error = c - ackedKbps;
        _linkDeviation = Math.Clamp((1 - alpha) * _linkDeviation + alpha * error * error / norm, 0.4, 2.5);
        _linkCapacityKbps = c;
    }
}
