namespace Aqs.Kernel.Network.Transport;

/// <summary>
/// When each datagram of a paced burst is due, to the microsecond: datagram i leaves when the bytes before it have
/// used their share of the burst's duration (a token bucket filled at totalBytes / duration), so datagrams of equal
/// size are evenly spaced and a larger one leaves proportionally later than a small one. Pure: no clock.
/// </summary>
public struct PacingSchedule
{
    private long _anchorUs;
    private long _durationUs;
    private long _totalBytes;
    private long _bytesBefore;

    /// <summary>Starts a burst of <paramref name="totalBytes"/> spread over <paramref name="durationUs"/> from <paramref name="anchorUs"/>.</summary>
    public void Start(long anchorUs, long durationUs, long totalBytes)
    {
        _anchorUs = anchorUs;
        _durationUs = Math.Max(0, durationUs);
        _totalBytes = Math.Max(1, totalBytes);
        _bytesBefore = 0;
    }

    /// <summary>Moves the burst's origin (e.g. to the first datagram's actual departure).</summary>
    public void Reanchor(long anchorUs) => _anchorUs = anchorUs;

    /// <summary>Due time of the next datagram, µs on the anchor's clock.</summary>
    public readonly long NextDueUs => _anchorUs + (long)((double)_durationUs * _bytesBefore / _totalBytes);

    /// <summary>Notes that the next datagram, of <paramref name="bytes"/>, has left.</summary>
    public void Sent(int bytes) => _bytesBefore += bytes;
}
