namespace Aqs.Kernel.Display.Presentation;

/// <summary>
/// Freezes exactly as libwebrtc's getStats counts them (video_quality_observer2.cc): at every presented frame the
/// interval since the previous one, in whole milliseconds, joins a moving window of the last 30 intervals; once
/// the window holds at least 5, the interval is a freeze when it is at least max(3 × avg, avg + 150 ms), the
/// average rounded down and taken over the window including this interval. A freeze lasts the whole interval
/// (totalFreezesDuration). Time is passed in, so the rule is tested on scripted timelines.
/// </summary>
public sealed class FreezeDetector
{
    public const int WindowFrames = 30;
    public const int MinimumSamples = 5;
    public const long MinimumIncreaseMs = 150;

    private readonly long[] _window = new long[WindowFrames];
    private int _count;
    private int _next;
    private long _sum;
    private long _lastPresentedMs = long.MinValue;

    public long Freezes { get; private set; }

    /// <summary>Sum of the freezing intervals, in ms.</summary>
    public long FreezeMs { get; private set; }

    public long LongestFreezeMs { get; private set; }

    /// <summary>Mean of the intervals in the window (rounded down), in ms; 0 before the second frame.</summary>
    public long AverageIntervalMs => _count == 0 ? 0 : _sum / _count;

    /// <summary>One presented frame at <paramref name="presentedNs"/>; true when the interval before it was a freeze.</summary>
    public bool OnPresented(long presentedNs)
    {
        var nowMs = presentedNs / 1_000_000;
        if (_lastPresentedMs == long.MinValue)
        {
            _lastPresentedMs = nowMs;
            return false;
        }
        var interval = nowMs - _lastPresentedMs;
        _lastPresentedMs = nowMs;
        if (_count == WindowFrames)
        {
            _sum -= _window[_next];
        }
        else
        {
            _count++;
        }
        _window[_next] = interval;
        _sum += interval;
        _next = (_next + 1) % WindowFrames;
        if (_count < MinimumSamples)
        {
            return false;
        }
        var average = _sum / _count;
        if (interval < Math.Max(3 * average, average + MinimumIncreaseMs))
        {
            return false;
        }
        Freezes++;
        FreezeMs += interval;
        LongestFreezeMs = Math.Max(LongestFreezeMs, interval);
        return true;
    }
}
