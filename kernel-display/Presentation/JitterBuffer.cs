namespace Aqs.Kernel.Display.Presentation;

/// <summary>How the playout delay is chosen.</summary>
public enum JitterBufferMode
{
    /// <summary>The smallest delay that keeps freezes rare (see <see cref="JitterBuffer"/>).</summary>
    Adaptive,
    /// <summary>A fixed delay on top of the fastest transit.</summary>
    Fixed,
    /// <summary>No buffer: every picture is shown at the first refresh after it is ready.</summary>
    Off,
}

/// <summary>
/// The playout delay: a picture is due at its capture time + the fastest transit seen lately (capture → ready, over
/// <see cref="WindowNs"/>) + the buffer. Adaptive mode sizes the buffer as the smallest that keeps freezes rare: a
/// picture whose transit exceeds the fastest by e makes the interval before it about avg + e − buffer, a freeze
/// (getStats) once that reaches max(3 avg, avg + 150 ms); so the buffer is the <see cref="Quantile"/> of e over the
/// window less max(2 avg, 150 ms), plus one refresh, between 0 and a maximum (150 ms by default: a longer spike
/// is cheaper as one counted freeze than as that much delay on every picture while it is in the window). It grows at once and shrinks by at most
/// a quarter of a refresh per picture, so one late burst does not leave seconds of delay behind. On a clean link it
/// stays 0: pictures are shown as soon as they are ready. Time is passed in.
/// </summary>
public sealed class JitterBuffer
{
    public const long WindowNs = 2_000_000_000;
    private const int MaxSamples = 1024;
    private const long FreezeAllowanceNs = 150_000_000;

    private readonly JitterBufferMode _mode;
    private readonly long _fixedNs;
    private readonly long _refreshNs;
    private readonly Queue<(long AtNs, long TransitNs)> _samples = new();
    private readonly LinkedList<(long AtNs, long TransitNs)> _minima = new(); // increasing transit: a sliding-window minimum
    private readonly long[] _scratch = new long[MaxSamples];
    private long _bufferNs;
    private readonly long _maxNs;

    /// <param name="maximum">The adaptive buffer never grows past this (a longer spike is a freeze, counted, not seconds of delay for every picture).</param>
    public JitterBuffer(JitterBufferMode mode, TimeSpan fixedDelay, TimeSpan refresh, double quantile = 0.99, TimeSpan? maximum = null)
    {
        _maxNs = (long)(maximum ?? TimeSpan.FromMilliseconds(150)).TotalNanoseconds;
        if (!(quantile > 0 && quantile <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(quantile), quantile, "jitter quantile must be over 0 and at most 1");
        }
        _mode = mode;
        _fixedNs = (long)fixedDelay.TotalNanoseconds;
        _refreshNs = (long)refresh.TotalNanoseconds;
        Quantile = quantile;
        _bufferNs = mode == JitterBufferMode.Fixed ? _fixedNs : 0;
    }

    public double Quantile { get; }

    /// <summary>The fastest transit in the window (capture → ready), in ns; 0 before the first picture.</summary>
    public long BaseNs => _minima.Count > 0 ? _minima.First!.Value.TransitNs : 0;

    /// <summary>What the buffer adds to the fastest transit, in ns.</summary>
    public long BufferNs => _mode == JitterBufferMode.Off ? 0 : _bufferNs;

    /// <summary>Capture → due for a picture shown on time.</summary>
    public long PlayoutDelayNs => BaseNs + BufferNs;

    /// <summary>One picture became ready <paramref name="transitNs"/> after its capture; <paramref name="averageIntervalNs"/> is the presented frame interval.</summary>
    public void OnReady(long nowNs, long transitNs, long averageIntervalNs)
    {
        _samples.Enqueue((nowNs, transitNs));
        while (_minima.Count > 0 && _minima.Last!.Value.TransitNs >= transitNs)
        {
            _minima.RemoveLast();
        }
        _minima.AddLast((nowNs, transitNs));
        while (_samples.Count > MaxSamples || (_samples.Count > 1 && _samples.Peek().AtNs < nowNs - WindowNs))
        {
            var gone = _samples.Dequeue();
            if (_minima.First!.Value == gone)
            {
                _minima.RemoveFirst();
            }
        }
        if (_mode != JitterBufferMode.Adaptive)
        {
            return;
        }
        var n = 0;
        var fastest = BaseNs;
        foreach (var s in _samples)
        {
            _scratch[n++] = s.TransitNs - fastest;
        }
        Array.Sort(_scratch, 0, n);
        var excess = _scratch[Math.Min(n - 1, (int)Math.Ceiling(Quantile * n) - 1)];
        var allowance = Math.Max(2 * averageIntervalNs, FreezeAllowanceNs);
        var wanted = Math.Clamp(excess - allowance + _refreshNs, 0, _maxNs);
        _bufferNs = wanted >= _bufferNs ? wanted : Math.Max(wanted, _bufferNs - _refreshNs / 4);
    }
}
