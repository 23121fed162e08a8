namespace Aqs.Kernel.Network.Feedback;

/// <summary>
/// RFC 3550 section 6.4.1 interarrival jitter: for consecutive arrivals i-1, i,
/// D = (R_i − R_{i−1}) − (S_i − S_{i−1}) and J += (|D| − J) / 16, in arrival order, here in µs
/// (send times from the packets' send-time field, arrival times from the receiver clock; offsets cancel).
/// </summary>
public sealed class InterarrivalJitter
{
    private long _previousSendUs;
    private long _previousArrivalUs;
    private bool _started;

    public double JitterUs { get; private set; }

    public void OnArrival(long sendTimeUs, long arrivalTimeUs)
    {
        if (_started)
        {
            var d = (arrivalTimeUs - _previousArrivalUs) - (sendTimeUs - _previousSendUs);
            JitterUs += (Math.Abs(d) - JitterUs) / 16.0;
        }
        _started = true;
        _previousSendUs = sendTimeUs;
        _previousArrivalUs = arrivalTimeUs;
    }
}
