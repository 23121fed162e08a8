namespace Aqs.Kernel.Network.Estimation;

/// <summary>
/// The rate at which our packets reached the receiver (bytes whose arrival falls in the last
/// <see cref="WindowUs"/> of receiver time). At a bottleneck this is its capacity, which is what the
/// AIMD decrease scales. Fixed ring: no allocation per packet. Single-threaded.
/// </summary>
public sealed class AckedBitrateEstimator
{
    private const int Capacity = 16384;
    private readonly long[] _arrivalUs = new long[Capacity];
    private readonly int[] _bytes = new int[Capacity];
    private int _head;
    private int _count;
    private long _windowBytes;
    private long _latestUs = long.MinValue;
    private long _firstUs = long.MinValue;

    public AckedBitrateEstimator(long windowUs = 250_000)
    {
        WindowUs = windowUs;
    }

    public long WindowUs { get; }

    public void OnAcked(long arrivalUs, int sizeBytes)
    {
        if (_firstUs == long.MinValue)
        {
            _firstUs = arrivalUs;
        }
        _latestUs = Math.Max(_latestUs, arrivalUs);
        if (_count == Capacity)
        {
            Evict();
        }
        var slot = (_head + _count) % Capacity;
        _arrivalUs[slot] = arrivalUs;
        _bytes[slot] = sizeBytes;
        _count++;
        _windowBytes += sizeBytes;
        while (_count > 0 && _arrivalUs[_head] <= _latestUs - WindowUs)
        {
            Evict();
        }
    }

    /// <summary>Acked rate in bit/s, or null before a quarter window of arrivals has been seen.</summary>
    public double? BitsPerSecond
    {
        get
        {
            if (_count == 0)
            {
                return null;
            }
            var span = Math.Min(WindowUs, _latestUs - _firstUs);
            if (span < WindowUs / 4)
            {
                return null;
            }
            return _windowBytes * 8.0 * 1_000_000 / span;
        }
    }

    private void Evict()
    {
        _windowBytes -= _bytes[_head];
        _head = (_head + 1) % Capacity;
        _count--;
    }
}
