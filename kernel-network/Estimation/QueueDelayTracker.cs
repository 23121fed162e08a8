namespace Aqs.Kernel.Network.Estimation;

/// <summary>
/// How long our packets now wait in the path's queues: the one-way delay of the newest acknowledged packet
/// minus the lowest one-way delay seen over the last <see cref="WindowUs"/>. Send and arrival times come from
/// different clocks; their offset is constant, so it cancels in the difference. The minimum is kept per
/// one-second bucket, so a path whose base delay grows is forgotten within the window. Besides the newest packet's
/// delay it keeps the standing queue: the least queueing delay of any packet that arrived in the last 100 ms. A frame
/// sent as a burst queues its own last packets for a moment; only a queue that every packet meets is the link's.
/// Single-threaded.
/// </summary>
public sealed class QueueDelayTracker
{
    private const long BucketUs = 1_000_000;
    private readonly long[] _bucketMin;
    private readonly long[] _bucketStart;
    private const long StandingWindowUs = 100_000;
    private const int Recent = 256;
    private readonly long[] _recentArrivalUs = new long[Recent];
    private readonly long[] _recentDelayUs = new long[Recent];
    private int _recentNext;
    private long _latestArrivalUs = long.MinValue;
    private long _latestDelayUs;

    public QueueDelayTracker(long windowUs = 10_000_000)
    {
        WindowUs = windowUs;
        var buckets = (int)Math.Max(1, windowUs / BucketUs);
        _bucketMin = new long[buckets];
        _bucketStart = new long[buckets];
        Array.Fill(_bucketStart, long.MinValue);
    }

    public long WindowUs { get; }

    /// <summary>Queueing delay of the newest arrival, µs (0 until the first arrival).</summary>
    public long QueueDelayUs { get; private set; }

    /// <summary>When the newest arrival was sent (sender clock, µs; long.MinValue until the first).</summary>
    public long LatestSendUs { get; private set; } = long.MinValue;

    /// <summary>The least queueing delay among the arrivals of the last 100 ms, µs: a queue every packet met.</summary>
    public long StandingQueueUs { get; private set; }

    public void OnArrival(long sendUs, long arrivalUs)
    {
        var delay = arrivalUs - sendUs;
        var start = arrivalUs - arrivalUs % BucketUs;
        var slot = (int)((arrivalUs / BucketUs) % _bucketMin.Length);
        if (_bucketStart[slot] != start)
        {
            _bucketStart[slot] = start;
            _bucketMin[slot] = delay;
        }
        else if (delay < _bucketMin[slot])
        {
            _bucketMin[slot] = delay;
        }
        if (arrivalUs >= _latestArrivalUs)
        {
            _latestArrivalUs = arrivalUs;
            _latestDelayUs = delay;
            LatestSendUs = sendUs;
        }
        var floor = long.MaxValue;
        for (var i = 0; i < _bucketMin.Length; i++)
        {
            if (_bucketStart[i] != long.MinValue && _bucketStart[i] > _latestArrivalUs - WindowUs - BucketUs)
            {
                floor = Math.Min(floor, _bucketMin[i]);
            }
        }
        QueueDelayUs = Math.Max(0, _latestDelayUs - floor);
        _recentArrivalUs[_recentNext] = arrivalUs;
        _recentDelayUs[_recentNext] = delay;
        _recentNext = (_recentNext + 1) % Recent;
        var least = long.MaxValue;
        for (var i = 0; i < Recent; i++)
        {
            if (_recentArrivalUs[i] > _latestArrivalUs - StandingWindowUs && _recentArrivalUs[i] <= _latestArrivalUs)
            {
                least = Math.Min(least, _recentDelayUs[i]);
            }
        }
        StandingQueueUs = least == long.MaxValue ? 0 : Math.Max(0, least - floor);
    }
}
