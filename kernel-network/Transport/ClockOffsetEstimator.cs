namespace Aqs.Kernel.Network.Transport;

/// <summary>
/// A receiver on another host maps the sender's clock onto its own, so the display can measure capture → presented
/// with the capture time the sender stamped. Every datagram gives <c>arrival (receiver clock) − send (sender clock)
/// = one-way delay + offset</c>; the smallest over a sliding window is the fastest one-way delay plus the offset.
/// Half the round-trip time (the symmetric-path assumption NTP makes) takes the delay out, once the sender's RTT,
/// which it learns from the feedback's echoes, is known here (<see cref="OnRoundTrip"/>). Without it the offset still
/// holds the fastest one-way delay, so latencies measured with it come out short by that much. Time is passed in.
/// </summary>
public sealed class ClockOffsetEstimator
{
    public const long WindowUs = 10_000_000;

    private readonly LinkedList<(long AtUs, long DeltaUs)> _minima = new(); // increasing delta: sliding-window minimum
    private long _rttUs = -1;

    /// <summary>True once a datagram was seen.</summary>
    public bool HasEstimate => _minima.Count > 0;

    /// <summary>Add this to a sender-clock time (µs) to get the receiver-clock time; 0 before the first datagram.</summary>
    public long OffsetUs => _minima.Count == 0 ? 0 : _minima.First!.Value.DeltaUs - Math.Max(0, _rttUs) / 2;

    /// <summary>Whether the offset has had the path delay taken out (a round-trip time was given).</summary>
    public bool DelayRemoved => _rttUs >= 0;

    public void OnPacket(long sendUs, long arrivalUs)
    {
        var delta = arrivalUs - sendUs;
        while (_minima.Count > 0 && _minima.Last!.Value.DeltaUs >= delta)
        {
            _minima.RemoveLast();
        }
        _minima.AddLast((arrivalUs, delta));
        while (_minima.Count > 1 && _minima.First!.Value.AtUs < arrivalUs - WindowUs)
        {
            _minima.RemoveFirst();
        }
    }

    /// <summary>The smallest recent round-trip time between the two hosts, in µs.</summary>
    public void OnRoundTrip(long rttUs) => _rttUs = rttUs < 0 ? -1 : rttUs;
}
