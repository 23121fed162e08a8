namespace Aqs.Kernel.Network.Transport;

/// <summary>
/// How long a frame's datagrams should take to leave: at <see cref="SenderOptions.PacingFactor"/> times the
/// bandwidth estimate (libwebrtc's pacer: 2.5x, so a frame above the average size still leaves quickly), but
/// never longer than <see cref="SenderOptions.PacingSpread"/> of the frame interval, so a frame never waits for
/// the next one. The frame interval is learnt from the spacing of frames (an EWMA), starting from the
/// configured one. Pure: time comes in as arguments. Single-threaded.
/// </summary>
public sealed class FramePacer
{
    private const long MinIntervalUs = 2_000;
    private const long MaxIntervalUs = 200_000;
    private readonly double _factor;
    private readonly double _spread;
    private double _intervalUs;
    private long _lastFrameUs = long.MinValue;

    public FramePacer(double factor, double spread, long initialIntervalUs)
    {
        if (factor <= 0 || spread is <= 0 or > 1 || initialIntervalUs <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(factor), $"pacing needs factor > 0, spread in (0,1], interval > 0: factor={factor} spread={spread} interval={initialIntervalUs}");
        }
        _factor = factor;
        _spread = spread;
        _intervalUs = initialIntervalUs;
    }

    public long FrameIntervalUs => (long)_intervalUs;

    /// <summary>Notes that a frame is about to be sent at <paramref name="nowUs"/> (learns the frame interval).</summary>
    public void OnFrame(long nowUs)
    {
        if (_lastFrameUs != long.MinValue)
        {
            var delta = Math.Clamp(nowUs - _lastFrameUs, MinIntervalUs, MaxIntervalUs);
            _intervalUs += (delta - _intervalUs) / 8;
        }
        _lastFrameUs = nowUs;
    }

    /// <summary>Time over which <paramref name="bytes"/> of one frame should be spread, µs.</summary>
    public long DurationUs(long bytes, double estimateBps)
    {
        var atRate = estimateBps <= 0 ? double.MaxValue : bytes * 8 * 1e6 / (_factor * estimateBps);
        return (long)Math.Min(atRate, _spread * _intervalUs);
    }
}
