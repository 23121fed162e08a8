namespace Aqs.Kernel.Network.Feedback;

/// <summary>
/// Receiver side of the feedback loop: feed it every arriving datagram's transport sequence number,
/// send time (from its header) and arrival time; every <see cref="ReportIntervalUs"/> it fills a
/// <see cref="FeedbackReport"/> with the arrivals since the last report, loss (interval, long-run,
/// burstiness), RFC 3550 jitter, NACKs and the RTT echo. Pure: time comes in as arguments. Single-threaded.
/// </summary>
public sealed class ReceiverStatistics
{
    /// <summary>Sequence numbers tracked beyond the last reported one; a jump past it counts the rest lost.</summary>
    private const int WindowSize = 4096;

    private readonly long[] _arrivalBySeq = new long[WindowSize];
    private readonly InterarrivalJitter _jitter = new();
    private readonly LossRunEstimator _runs = new();
    private long _baseSequence = -1;
    private long _highest = -1;
    private long _received;
    private long _lateAfterReport;
    private long _expectedPrior;
    private long _receivedPrior;
    private long _echoSendUs;
    private long _echoArrivalUs = long.MinValue;
    private long _lastReportUs = long.MinValue;
    private ushort _reportSequence;
    private long _minOneWayUs = long.MaxValue;
    private long _maxQueueUs;

    public ReceiverStatistics(long reportIntervalUs = 50_000, double forgetPerReport = 0.98)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(reportIntervalUs, 1);
        ReportIntervalUs = reportIntervalUs;
        ForgetPerReport = forgetPerReport;
        Array.Fill(_arrivalBySeq, FeedbackReport.NotReceived);
    }

    public long ReportIntervalUs { get; }
    public double ForgetPerReport { get; }

    public long Received => _received;
    public long HighestSequence => _highest;
    public double JitterUs => _jitter.JitterUs;
    public double LossRate => _runs.LossRate;
    public double MeanBurstLength => _runs.MeanBurstLength;
    public LossRunEstimator LossRuns => _runs;

    /// <summary>Cumulative lost packets per RFC 3550 (expected − received; late arrivals cancel).</summary>
    public long CumulativeLost => _highest < 0 ? 0 : Math.Max(0, _highest - _firstSequence + 1 - _received);

    private long _firstSequence;

    /// <summary>Records one datagram (any kind: media, parity, retransmission) by its transport sequence.</summary>
    public void OnPacket(long sequence, long sendTimeUs, long arrivalTimeUs)
    {
        if (sequence < 0)
        {
            return;
        }
        if (_highest < 0)
        {
            _baseSequence = sequence;
            _firstSequence = sequence;
            _expectedPrior = 0;
        }
        if (sequence < _firstSequence)
        {
            return;
        }
        _received++;
        _jitter.OnArrival(sendTimeUs, arrivalTimeUs);
        _runs.OnPacket(sequence, IsQueued(arrivalTimeUs - sendTimeUs));
        if (arrivalTimeUs >= _echoArrivalUs)
        {
            _echoArrivalUs = arrivalTimeUs;
            _echoSendUs = sendTimeUs;
        }
        if (sequence > _highest)
        {
            _highest = sequence;
        }
        if (sequence < _baseSequence)
        {
            _lateAfterReport++;
            return;
        }
        if (sequence >= _baseSequence + WindowSize)
        {
            // Far ahead (an outage or a sender jump): give up on the entries that no longer fit.
            var newBase = sequence - WindowSize + 1;
            for (var s = _baseSequence; s < Math.Min(newBase, _baseSequence + WindowSize); s++)
            {
                _arrivalBySeq[s % WindowSize] = FeedbackReport.NotReceived;
            }
            _baseSequence = newBase;
        }
        _arrivalBySeq[sequence % WindowSize] = arrivalTimeUs;
    }

    /// <summary>
    /// Whether a packet with this one-way delay (any clock offset) sat in a well-filled queue: its queueing
    /// delay (above the lowest seen) is at least <see cref="CongestionQueueUs"/> and at least half the
    /// recent largest one. A drop-tail queue drops exactly when it is full, so gaps closed by such packets
    /// are congestion; jitter of a few ms and random loss on an idle path stay below the absolute floor.
    /// </summary>
    private bool IsQueued(long oneWayUs)
    {
        if (oneWayUs < _minOneWayUs)
        {
            _minOneWayUs = oneWayUs;
        }
        var queueUs = oneWayUs - _minOneWayUs;
        // The recent maximum decays by 1/1024 per packet so an old spike does not mask new queues.
        _maxQueueUs = Math.Max(queueUs, _maxQueueUs - (_maxQueueUs >> 10));
        return queueUs >= CongestionQueueUs && queueUs * 2 >= _maxQueueUs;
    }

    /// <summary>
    /// When set, gaps inside known FEC blocks are NACKed only as far as the block cannot recover them (see
    /// <see cref="BlockNackPlanner"/>); the receiver feeds it every shard. Without it every gap is NACKed.
    /// </summary>
    public BlockNackPlanner? NackPlanner { get; init; }

    /// <summary>Queueing delay above which a loss may be read as congestion (not FEC's to repair).</summary>
    public long CongestionQueueUs { get; init; } = 40_000;

    /// <summary>True when a report is due at <paramref name="nowUs"/> (interval elapsed, or arrivals about to overflow one report).</summary>
    public bool ReportDue(long nowUs) =>
        _highest >= 0 && (_lastReportUs == long.MinValue || nowUs - _lastReportUs >= ReportIntervalUs || _highest - _baseSequence + 1 >= FeedbackReport.MaxArrivals);

    /// <summary>
    /// Fills <paramref name="report"/> with the arrivals since the previous report and current statistics.
    /// Returns true if more arrivals are pending (build another report right away).
    /// </summary>
    public bool BuildReport(long nowUs, FeedbackReport report)
    {
        _lastReportUs = nowUs;
        report.ReportSequence = _reportSequence++;
        report.ReportTimeUs = nowUs;
        report.HighestSequence = _highest;
        var count = _highest < 0 ? 0 : (int)Math.Min(FeedbackReport.MaxArrivals, _highest - _baseSequence + 1);
        report.BaseSequence = Math.Max(0, _baseSequence);
        report.ArrivalCount = count;
        var nacks = 0;
        for (var i = 0; i < count; i++)
        {
            var seq = _baseSequence + i;
            var slot = seq % WindowSize;
            var arrival = _arrivalBySeq[slot];
            report.ArrivalTimesUs[i] = arrival;
            _arrivalBySeq[slot] = FeedbackReport.NotReceived;
            if (arrival == FeedbackReport.NotReceived && seq < _highest && NackPlanner?.Covers(seq) != true)
            {
                // Keep the newest MaxNacks gaps: overwrite cyclically, fixed below.
                report.Nacks[nacks % FeedbackReport.MaxNacks] = seq;
                nacks++;
            }
        }
        if (nacks > FeedbackReport.MaxNacks)
        {
            // The ring holds the newest MaxNacks; rotate so they read oldest first.
            report.Nacks.AsSpan().Slice(0, nacks % FeedbackReport.MaxNacks).Reverse();
            report.Nacks.AsSpan().Slice(nacks % FeedbackReport.MaxNacks).Reverse();
            report.Nacks.AsSpan().Reverse();
            nacks = FeedbackReport.MaxNacks;
        }
        if (NackPlanner is { } planner)
        {
            nacks = planner.AddNacks(_highest, report.Nacks, nacks);
        }
        report.NackCount = nacks;
        if (_highest >= 0)
        {
            _baseSequence += count;
        }

        // RFC 3550 A.3 interval loss: expected vs received since the previous report.
        var expected = _highest < 0 ? 0 : _highest - _firstSequence + 1;
        var expectedInterval = expected - _expectedPrior;
        var receivedInterval = _received - _receivedPrior;
        _expectedPrior = expected;
        _receivedPrior = _received;
        var lostInterval = expectedInterval - receivedInterval;
        report.IntervalLossFraction = expectedInterval <= 0 || lostInterval <= 0 ? 0 : (double)lostInterval / expectedInterval;
        report.CumulativeLost = (uint)Math.Min(uint.MaxValue, CumulativeLost);
        report.LossRate = _runs.LossRate;
        report.MeanBurstLength = _runs.MeanBurstLength;
        report.JitterUs = (uint)Math.Min(uint.MaxValue, Math.Round(_jitter.JitterUs));
        report.EchoSendTimeUs = _echoArrivalUs == long.MinValue ? 0 : _echoSendUs;
        report.EchoHoldUs = _echoArrivalUs == long.MinValue ? 0 : (uint)Math.Clamp(nowUs - _echoArrivalUs, 0, uint.MaxValue);
        _runs.Forget(ForgetPerReport);
        return _highest >= _baseSequence;
    }
}
