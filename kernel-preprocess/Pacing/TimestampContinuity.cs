namespace Aqs.Kernel.Preprocess.Pacing;

/// <summary>
/// Makes a source's timestamps safe to pace and encode by: a timestamp that goes back (or repeats), or jumps forward by
/// more than <see cref="MaxGapNs"/>, is a discontinuity (a clock jump, a broken capture, a spliced file); the stream
/// continues one frame duration after the previous frame, and later frames keep the same shift. Without this the
/// pacer would hold the source for the whole of a forward jump, and everything downstream that orders frames by
/// timestamp (the engine's frame-rate decimation, the encoder) would see time run backwards. One thread.
/// </summary>
public sealed class TimestampContinuity
{
    /// <summary>The largest forward step taken as real (a still scene in variable-frame-rate input); more is a jump.</summary>
    public const long MaxGapNs = 2_000_000_000;

    private readonly long _durationNs;
    private long _shiftNs;
    private long _lastNs = long.MinValue;

    /// <param name="durationNs">The nominal frame duration: the step across a discontinuity.</param>
    public TimestampContinuity(long durationNs)
    {
        if (durationNs <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(durationNs), durationNs, "frame duration must be positive");
        }
        _durationNs = durationNs;
    }

    /// <summary>Timestamps that went back or jumped, and were shifted.</summary>
    public long Discontinuities { get; private set; }

    /// <summary>The continuous timestamp for a frame whose source timestamp is <paramref name="sourcePtsNs"/>.</summary>
    public long Next(long sourcePtsNs)
    {
        // In 128 bits: a garbage timestamp near either end of the range must not wrap round into looking continuous.
        var pts = (Int128)sourcePtsNs + _shiftNs;
        if (_lastNs != long.MinValue && (pts <= _lastNs || pts - _lastNs > MaxGapNs))
        {
            var continued = (Int128)_lastNs + _durationNs;
            _shiftNs = (long)Int128.Clamp(_shiftNs + (continued - pts), long.MinValue, long.MaxValue);
            pts = continued;
            Discontinuities++;
        }
        _lastNs = (long)Int128.Clamp(pts, long.MinValue + 1, long.MaxValue);
        return _lastNs;
    }
}
