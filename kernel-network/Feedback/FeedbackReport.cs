namespace Aqs.Kernel.Network.Feedback;

/// <summary>
/// What the receiver sends back every ~50 ms: per-packet arrival times for the bandwidth estimator (a
/// contiguous run of transport sequence numbers from <see cref="BaseSequence"/>), loss and jitter figures for
/// the FEC policy, a NACK list, and an echo of the newest send time for RTT. Times are µs; arrival times are
/// on the receiver's clock, echo times on the sender's. A reusable container with fixed-capacity arrays:
/// one instance per side, refilled per report, so reporting allocates nothing. Byte form: <see cref="FeedbackCodec"/>.
/// </summary>
public sealed class FeedbackReport
{
    /// <summary>Most arrivals one report carries (keeps the datagram under 1200 bytes with a full NACK list).</summary>
    public const int MaxArrivals = 480;

    /// <summary>Most NACKed sequence numbers in one report.</summary>
    public const int MaxNacks = 64;

    /// <summary>Marks a sequence number in the run that has not arrived (yet).</summary>
    public const long NotReceived = long.MinValue;

    /// <summary>Counts reports (wraps), so the sender can spot lost or reordered feedback.</summary>
    public ushort ReportSequence { get; set; }

    /// <summary>Receiver time at which the report was built.</summary>
    public long ReportTimeUs { get; set; }

    /// <summary>First transport sequence number the arrivals cover.</summary>
    public long BaseSequence { get; set; }

    /// <summary>Number of entries in <see cref="ArrivalTimesUs"/>, for BaseSequence .. BaseSequence+ArrivalCount-1.</summary>
    public int ArrivalCount { get; set; }

    /// <summary>Arrival time per sequence number, or <see cref="NotReceived"/>.</summary>
    public long[] ArrivalTimesUs { get; } = new long[MaxArrivals];

    /// <summary>Highest transport sequence number received so far.</summary>
    public long HighestSequence { get; set; } = -1;

    /// <summary>Packets lost since the start (late arrivals subtracted).</summary>
    public uint CumulativeLost { get; set; }

    /// <summary>Lost / expected over the interval since the previous report (RFC 3550 fraction lost).</summary>
    public double IntervalLossFraction { get; set; }

    /// <summary>
    /// Long-run channel loss rate (exponentially forgotten), what the FEC policy uses: losses the receiver
    /// attributes to a full queue (congestion) are left out; <see cref="IntervalLossFraction"/> has them all.
    /// </summary>
    public double LossRate { get; set; }

    /// <summary>Mean length of loss bursts in packets (1 = independent losses).</summary>
    public double MeanBurstLength { get; set; } = 1;

    /// <summary>RFC 3550 interarrival jitter.</summary>
    public uint JitterUs { get; set; }

    /// <summary>Sender timestamp of the newest-arriving packet (sender clock), or 0 when none yet.</summary>
    public long EchoSendTimeUs { get; set; }

    /// <summary>How long the receiver held that packet's timestamp before this report.</summary>
    public uint EchoHoldUs { get; set; }

    public int NackCount { get; set; }

    /// <summary>Sequence numbers the receiver considers missing (newest gaps).</summary>
    public long[] Nacks { get; } = new long[MaxNacks];

    public ReadOnlySpan<long> Arrivals => ArrivalTimesUs.AsSpan(0, ArrivalCount);

    public ReadOnlySpan<long> NackList => Nacks.AsSpan(0, NackCount);

    public void CopyTo(FeedbackReport other)
    {
        other.ReportSequence = ReportSequence;
        other.ReportTimeUs = ReportTimeUs;
        other.BaseSequence = BaseSequence;
        other.ArrivalCount = ArrivalCount;
        Arrivals.CopyTo(other.ArrivalTimesUs);
        other.HighestSequence = HighestSequence;
        other.CumulativeLost = CumulativeLost;
        other.IntervalLossFraction = IntervalLossFraction;
        other.LossRate = LossRate;
        other.MeanBurstLength = MeanBurstLength;
        other.JitterUs = JitterUs;
        other.EchoSendTimeUs = EchoSendTimeUs;
        other.EchoHoldUs = EchoHoldUs;
        other.NackCount = NackCount;
        NackList.CopyTo(other.Nacks);
    }
}
