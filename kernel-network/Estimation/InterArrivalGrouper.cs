namespace Aqs.Kernel.Network.Estimation;

/// <summary>
/// Groups packets sent within <see cref="GroupLengthUs"/> of each other (one paced burst) and yields, per
/// completed group, the send-time and arrival-time deltas to the previous group (GCC's inter-group delay
/// variation d = Δarrival − Δsend). As in libwebrtc's InterArrival, a packet that arrives within 5 ms of the
/// group with a negative propagation delta joins it (it was queued behind the group), and packets sent before
/// the current group's start (reordered) are skipped. Feed packets in send (sequence) order.
/// </summary>
public sealed class InterArrivalGrouper
{
    public const long GroupLengthUs = 5_000;
    private const long BurstDeltaUs = 5_000;
    private const long MaxBurstDurationUs = 100_000;

    private Group _current;
    private Group _previous;
    private bool _hasCurrent;
    private bool _hasPrevious;

    private struct Group
    {
        public long FirstSendUs;
        public long LastSendUs;
        public long FirstArrivalUs;
        public long CompleteUs;
        public long Bytes;
    }

    /// <summary>Adds one packet; true when a group completed and the deltas are valid.</summary>
    public bool TryAdd(long sendUs, long arrivalUs, int sizeBytes, out long sendDeltaUs, out long arrivalDeltaUs)
    {
        sendDeltaUs = 0;
        arrivalDeltaUs = 0;
        if (!_hasCurrent)
        {
            Start(sendUs, arrivalUs, sizeBytes);
            return false;
        }
        if (sendUs < _current.FirstSendUs)
        {
            return false;
        }
        var emitted = false;
        if (IsNewGroup(sendUs, arrivalUs))
        {
            if (_hasPrevious)
            {
                sendDeltaUs = _current.LastSendUs - _previous.LastSendUs;
                arrivalDeltaUs = _current.CompleteUs - _previous.CompleteUs;
                emitted = true;
            }
            _previous = _current;
            _hasPrevious = true;
            Start(sendUs, arrivalUs, sizeBytes);
            return emitted;
        }
        _current.LastSendUs = Math.Max(_current.LastSendUs, sendUs);
        _current.CompleteUs = Math.Max(_current.CompleteUs, arrivalUs);
        _current.Bytes += sizeBytes;
        return false;
    }

    private bool IsNewGroup(long sendUs, long arrivalUs)
    {
        if (BelongsToBurst(sendUs, arrivalUs))
        {
            return false;
        }
        return sendUs - _current.FirstSendUs > GroupLengthUs;
    }

    private bool BelongsToBurst(long sendUs, long arrivalUs)
    {
        var arrivalDelta = arrivalUs - _current.CompleteUs;
        var sendDelta = sendUs - _current.LastSendUs;
        if (sendDelta == 0)
        {
            return true;
        }
        var propagationDelta = arrivalDelta - sendDelta;
        return propagationDelta < 0 && arrivalDelta <= BurstDeltaUs && arrivalUs - _current.FirstArrivalUs < MaxBurstDurationUs;
    }

    private void Start(long sendUs, long arrivalUs, int sizeBytes)
    {
        _current = new Group { FirstSendUs = sendUs, LastSendUs = sendUs, FirstArrivalUs = arrivalUs, CompleteUs = arrivalUs, Bytes = sizeBytes };
        _hasCurrent = true;
    }
}
