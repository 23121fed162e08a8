using System.Diagnostics;
using Aqs.Shared.Timing;

namespace Aqs.Kernel.Preprocess.Pacing;

/// <summary>
/// Holds each frame until its time. Realtime: frame with timestamp p is due at anchor + (p - p0) / speed, where the
/// first frame sets the anchor. The bulk of a wait is <see cref="Thread.Sleep(int)"/> (whose wake-up is late by up to
/// a scheduler tick), the last <see cref="SpinThresholdNs"/> is spun, so frames leave within microseconds of their
/// time. A timestamp going backwards, or a frame more than <see cref="ResyncThresholdNs"/> late (a stall), re-anchors
/// instead of bursting to catch up. Asap never waits. One thread.
/// </summary>
public sealed class FramePacer
{
    /// <summary>The final stretch of a wait spent spinning rather than sleeping.</summary>
    public const long SpinThresholdNs = 1_500_000;

    /// <summary>Later than this, the pacer gives up catching up and re-anchors at the current frame.</summary>
    public const long ResyncThresholdNs = 500_000_000;

    private readonly double _speed;
    private bool _anchored;
    private long _anchorWallNs;
    private long _anchorPtsNs;
    private long _lastPtsNs;

    public FramePacer(PacingMode mode, double speed = 1.0)
    {
        if (!(speed > 0) || speed > 1000 || !double.IsFinite(speed))
        {
            throw new ArgumentOutOfRangeException(nameof(speed), speed, "speed must be above 0 and at most 1000");
        }
        Mode = mode;
        _speed = speed;
    }

    public PacingMode Mode { get; }
    public double Speed => _speed;

    /// <summary>Frames that were already late when asked to wait.</summary>
    public long LateFrames { get; private set; }

    /// <summary>Times the pacer re-anchored (timestamp jump back, or a stall past the resync threshold).</summary>
    public long Resyncs { get; private set; }

    /// <summary>Forgets the anchor: the next frame is due at once and anchors again.</summary>
    public void Reset() => _anchored = false;

    /// <summary>Returns when the frame with source timestamp <paramref name="sourcePtsNs"/> is due.</summary>
    public void WaitUntilDue(long sourcePtsNs)
    {
        if (Mode == PacingMode.Asap)
        {
            return;
        }
        var now = MonotonicClock.NowNs;
        if (!_anchored || sourcePtsNs < _lastPtsNs)
        {
            if (_anchored)
            {
                Resyncs++;
            }
            Anchor(now, sourcePtsNs);
            return;
        }
        _lastPtsNs = sourcePtsNs;
        var due = _anchorWallNs + (long)((sourcePtsNs - _anchorPtsNs) / _speed);
        var wait = due - now;
        if (wait <= 0)
        {
            LateFrames++;
            if (-wait > ResyncThresholdNs)
            {
                Resyncs++;
                Anchor(now, sourcePtsNs);
            }
            return;
        }
        if (wait > SpinThresholdNs)
        {
            Thread.Sleep(TimeSpan.FromTicks((wait - SpinThresholdNs) / 100));
        }
        while (MonotonicClock.NowNs < due)
        {
            Thread.SpinWait(20);
        }
    }

    private void Anchor(long nowNs, long ptsNs)
    {
        _anchored = true;
        _anchorWallNs = nowNs;
        _anchorPtsNs = ptsNs;
        _lastPtsNs = ptsNs;
        Debug.Assert(_speed > 0);
    }
}
