namespace Aqs.Kernel.Network.Estimation;

/// <summary>
/// How long our packets now wait in the path's queues: the one-way delay of the newest acknowledged packet
/// minus the lowest one-way delay seen over the last <see cref="WindowUs"/>. Send and arrival times come from
/// different clocks; their offset is constant, so it cancels in the difference. The minimum is kept per
/// one-second bucket, so a path whose base delay grows is forgotten within the window. Single-threaded.
/// </summary>
public sealed class QueueDelayTracker
{
    private const long BucketUs = 1_000_000;
    private readonly long[] _bucketMin;
    private readonly long[] _bucketStart;
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
    }
}
