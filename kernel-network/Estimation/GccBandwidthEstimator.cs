using Aqs.Kernel.Network.FecPolicy;
using Aqs.Kernel.Network.Feedback;

namespace Aqs.Kernel.Network.Estimation;

/// <summary>
/// Sender-side bandwidth estimate in the manner of Google Congestion Control: delay-based (inter-group
/// delay variation → <see cref="TrendlineEstimator"/> → <see cref="AimdRateController"/> scaled by the acked
/// rate) and loss-based (<see cref="LossBasedController"/>); the estimate is the smaller of the two.
/// Usage: <see cref="OnPacketSent"/> for every datagram put on the wire (media, parity, retransmission), and
/// <see cref="OnFeedback"/> for every parsed <see cref="FeedbackReport"/>. Pure (time as arguments), single-threaded,
/// allocation-free after construction.
/// </summary>
public sealed class GccBandwidthEstimator
{
    private readonly BweSettings _settings;
    private readonly InterArrivalGrouper _grouper = new();
    private readonly TrendlineEstimator _trendline = new();
    private readonly AimdRateController _aimd;
    private readonly LossBasedController _lossBased;
    private readonly AckedBitrateEstimator _acked;
    private readonly ProbeController _probes;
    private readonly ProbeBitrateEstimator _probeRates = new();

    public GccBandwidthEstimator(BweSettings? settings = null)
    {
        _settings = settings ?? new BweSettings();
        _aimd = new AimdRateController(_settings);
        _lossBased = new LossBasedController(_settings.StartBps);
        _acked = new AckedBitrateEstimator(_settings.AckedWindowUs);
        _probes = new ProbeController(_settings);
        EstimateBps = _settings.StartBps;
    }

    public SendHistory History { get; } = new();
    public RttEstimator Rtt { get; } = new();
    public QueueDelayTracker QueueDelay { get; } = new();
    private long _reportedThrough = -1;
    private long _lastSent = -1;

    /// <summary>Wire bytes handed to <see cref="OnPacketSent"/> in all.</summary>
    public long BytesSent { get; private set; }

    /// <summary>
    /// Wire bytes sent after the highest sequence the receiver has reported: what sits in the path's queues or
    /// flies (everything up to that sequence has arrived or is lost). O(packets in flight) per call.
    /// </summary>
    public long BytesInFlight
    {
        get
        {
            long bytes = 0;
            for (var sequence = Math.Max(_reportedThrough + 1, _lastSent - SendHistory.Capacity + 1); sequence <= _lastSent; sequence++)
            {
                if (History.TryGet(sequence, out _, out var size))
                {
                    bytes += size;
                }
            }
            return bytes;
        }
    }

    /// <summary>Target send rate in bit/s (everything: media, parity, retransmissions).</summary>
    public double EstimateBps { get; private set; }
    public double DelayBasedBps => _aimd.EstimateBps;
    public double LossBasedBps => _lossBased.EstimateBps;
    public double? AckedBps => _acked.BitsPerSecond;
    public BandwidthUsage Usage { get; private set; }
    public double Threshold => _trendline.Threshold;

    /// <summary>Loss, burstiness and jitter from the latest feedback plus our RTT: input to the FEC policy.</summary>
    public LinkState LinkState { get; private set; } = LinkState.Perfect;

    public long FeedbackReports { get; private set; }

    /// <summary>Probe clusters started, and those whose feedback gave a capacity.</summary>
    public long ProbeClusters => _probes.ClustersStarted;
    public long ProbeResults => _probeRates.Results;

    /// <summary>The latest probe result, bit/s (null before the first).</summary>
    public double? LastProbeBps { get; private set; }

    /// <summary>Records a datagram put on the wire; <paramref name="probeCluster"/> is its probe cluster's id, or -1.</summary>
    public void OnPacketSent(long sequence, long sendTimeUs, int sizeBytes, int probeCluster = -1)
    {
        History.OnSent(sequence, sendTimeUs, sizeBytes, probeCluster);
        BytesSent += sizeBytes;
        _lastSent = Math.Max(_lastSent, sequence);
    }

    /// <summary>
    /// A probe cluster to send now, if one is due: its datagrams go out at <see cref="ProbeCluster.TargetBps"/>
    /// and are passed to <see cref="OnPacketSent"/> with its id.
    /// </summary>
    public bool TryStartProbe(long nowUs, out ProbeCluster cluster)
    {
        if (!_probes.TryStart(nowUs, EstimateBps, out cluster))
        {
            return false;
        }
        _probeRates.OnClusterStarted(cluster);
        return true;
    }

    public void OnFeedback(FeedbackReport report, long nowUs)
    {
        FeedbackReports++;
        Rtt.OnEcho(nowUs, report.EchoSendTimeUs, report.EchoHoldUs);
        var rttUs = Rtt.HasSample ? Rtt.SmoothedUs : 100_000;

        var sawOveruse = false;
        double? probeResult = null;
        var expected = 0;
        var lost = 0;
        var arrivals = report.Arrivals;
        for (var i = 0; i < arrivals.Length; i++)
        {
            var sequence = report.BaseSequence + i;
            if (!History.TryGet(sequence, out var sendUs, out var size, out var cluster))
            {
                continue;
            }
            expected++;
            var arrivalUs = arrivals[i];
            if (arrivalUs == FeedbackReport.NotReceived)
            {
                lost++;
                continue;
            }
            _acked.OnAcked(arrivalUs, size);
            QueueDelay.OnArrival(sendUs, arrivalUs);
            if (cluster >= 0 && _probeRates.OnProbeAcked(cluster, sendUs, arrivalUs, size) is { } probed)
            {
                probeResult = probeResult is { } p ? Math.Max(p, probed) : probed;
                _probes.OnResult(cluster, probed);
            }
            if (_grouper.TryAdd(sendUs, arrivalUs, size, out var sendDelta, out var arrivalDelta))
            {
                var usage = _trendline.Update(arrivalDelta / 1000.0, sendDelta / 1000.0, arrivalUs / 1000.0);
                sawOveruse |= usage == BandwidthUsage.Overusing;
            }
        }
        _reportedThrough = Math.Max(_reportedThrough, report.HighestSequence);
        Usage = sawOveruse ? BandwidthUsage.Overusing : _trendline.State;
        if (Usage == BandwidthUsage.Overusing)
        {
            _probes.OnOveruse(nowUs, EstimateBps);
        }
        double delayBased;
        if (probeResult is { } probe && Usage != BandwidthUsage.Overusing)
        {
            // As libwebrtc's DelayBasedBwe: a probe result replaces the delay-based estimate (it is a measurement,
            // the AIMD only a search), and lifts the loss-based bound with it.
            LastProbeBps = probe;
            delayBased = _aimd.SetEstimate(probe, nowUs);
            _lossBased.SetEstimate(delayBased);
        }
        else
        {
            delayBased = _aimd.Update(Usage, _acked.BitsPerSecond, nowUs, rttUs);
        }
        var lossBased = _lossBased.Update(expected, lost, nowUs, rttUs, delayBased, _settings.MinBps);
        EstimateBps = Math.Clamp(Math.Min(delayBased, lossBased), _settings.MinBps, _settings.MaxBps);
        _probes.OnEstimate(EstimateBps);
        LinkState = new LinkState(report.LossRate, report.MeanBurstLength, report.JitterUs / 1000.0, rttUs / 1000.0);
    }
}
