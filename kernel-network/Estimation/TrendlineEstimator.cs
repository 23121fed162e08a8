namespace Aqs.Kernel.Network.Estimation;

/// <summary>
/// GCC's delay-gradient detector in libwebrtc's trendline form: accumulate the inter-group delay variation,
/// smooth it exponentially (0.9), fit a least-squares line over the last <see cref="WindowSize"/> points
/// (arrival time, smoothed delay), scale the slope by min(deltas, 60) × 4 and compare it against an
/// adaptive threshold γ (starts at 12.5, γ += k·(|m| − γ)·Δt with k = 0.039 below / 0.0087 above, clamped
/// to [6, 600]). Overuse needs the trend above γ for more than 10 ms over at least two groups and not falling.
/// </summary>
public sealed class TrendlineEstimator
{
    public const int WindowSize = 20;
    private const double SmoothingCoefficient = 0.9;
    private const double ThresholdGain = 4.0;
    private const int MinNumDeltas = 60;
    private const int DeltaCounterMax = 1000;
    private const double MaxAdaptOffsetMs = 15.0;
    private const double OverusingTimeThresholdMs = 10;
    private const double KUp = 0.0087;
    private const double KDown = 0.039;

    private readonly double[] _x = new double[WindowSize];
    private readonly double[] _y = new double[WindowSize];
    private int _windowStart;
    private int _windowCount;
    private int _numDeltas;
    private double _firstArrivalMs = double.NaN;
    private double _accumulatedDelayMs;
    private double _smoothedDelayMs;
    private double _previousTrend;
    private double _timeOverUsingMs = -1;
    private int _overuseCounter;
    private double _lastThresholdUpdateMs = double.NaN;

    public double Threshold { get; private set; } = 12.5;
    public BandwidthUsage State { get; private set; } = BandwidthUsage.Normal;

    /// <summary>Last modified trend (slope × gain × sample count), comparable to <see cref="Threshold"/>.</summary>
    public double ModifiedTrend { get; private set; }

    public BandwidthUsage Update(double receiveDeltaMs, double sendDeltaMs, double arrivalTimeMs)
    {
        var delta = receiveDeltaMs - sendDeltaMs;
        _numDeltas = Math.Min(_numDeltas + 1, DeltaCounterMax);
        if (double.IsNaN(_firstArrivalMs))
        {
            _firstArrivalMs = arrivalTimeMs;
        }
        _accumulatedDelayMs += delta;
        _smoothedDelayMs = SmoothingCoefficient * _smoothedDelayMs + (1 - SmoothingCoefficient) * _accumulatedDelayMs;

        var slot = (_windowStart + _windowCount) % WindowSize;
        if (_windowCount == WindowSize)
        {
            _windowStart = (_windowStart + 1) % WindowSize;
        }
        else
        {
            _windowCount++;
        }
        _x[slot] = arrivalTimeMs - _firstArrivalMs;
        _y[slot] = _smoothedDelayMs;

        var trend = _previousTrend;
        if (_windowCount == WindowSize && TryFitSlope(out var slope))
        {
            trend = slope;
        }
        Detect(trend, sendDeltaMs, arrivalTimeMs);
        return State;
    }

    private bool TryFitSlope(out double slope)
    {
        double sumX = 0, sumY = 0;
        for (var i = 0; i < WindowSize; i++)
        {
            sumX += _x[i];
            sumY += _y[i];
        }
        var meanX = sumX / WindowSize;
        var meanY = sumY / WindowSize;
        double numerator = 0, denominator = 0;
        for (var i = 0; i < WindowSize; i++)
        {
            var dx = _x[i] - meanX;
            numerator += dx * (_y[i] - meanY);
            denominator += dx * dx;
        }
        slope = denominator == 0 ? 0 : numerator / denominator;
        return denominator != 0;
    }

    private void Detect(double trend, double sendDeltaMs, double nowMs)
    {
        if (_numDeltas < 2)
        {
            State = BandwidthUsage.Normal;
            return;
        }
        var modified = Math.Min(_numDeltas, MinNumDeltas) * trend * ThresholdGain;
        ModifiedTrend = modified;
        if (modified > Threshold)
        {
            _timeOverUsingMs = _timeOverUsingMs < 0 ? sendDeltaMs / 2 : _timeOverUsingMs + sendDeltaMs;
            _overuseCounter++;
            if (_timeOverUsingMs > OverusingTimeThresholdMs && _overuseCounter > 1 && trend >= _previousTrend)
            {
                _timeOverUsingMs = 0;
                _overuseCounter = 0;
                State = BandwidthUsage.Overusing;
            }
        }
        else if (modified < -Threshold)
        {
            _timeOverUsingMs = -1;
            _overuseCounter = 0;
            State = BandwidthUsage.Underusing;
        }
        else
        {
            _timeOverUsingMs = -1;
            _overuseCounter = 0;
            State = BandwidthUsage.Normal;
        }
        _previousTrend = trend;
        UpdateThreshold(modified, nowMs);
    }

    private void UpdateThreshold(double modified, double nowMs)
    {
        if (double.IsNaN(_lastThresholdUpdateMs))
        {
            _lastThresholdUpdateMs = nowMs;
        }
        var magnitude = Math.Abs(modified);
        if (magnitude > Threshold + MaxAdaptOffsetMs)
        {
            // A spike (e.g. a route change) should not drag the threshold up.
            _lastThresholdUpdateMs = nowMs;
            return;
        }
        var k = magnitude < Threshold ? KDown : KUp;
        var dt = Math.Min(nowMs - _lastThresholdUpdateMs, 100);
        Threshold = Math.Clamp(Threshold + k * (magnitude - Threshold) * dt, 6, 600);
        _lastThresholdUpdateMs = nowMs;
    }
}
