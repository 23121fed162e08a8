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

    public GccBandwidthEstimator(BweSettings? settings = null)
    {
        _settings = settings ?? new BweSettings();
        _aimd = new AimdRateController(_settings);
        _lossBased = new LossBasedController(_settings.StartBps);
        _acked = new AckedBitrateEstimator(_settings.AckedWindowUs);
        EstimateBps = _settings.StartBps;
    }

    public SendHistory History { get; } = new();
    public RttEstimator Rtt { get; } = new();

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

    public void OnPacketSent(long sequence, long sendTimeUs, int sizeBytes) => History.OnSent(sequence, sendTimeUs, sizeBytes);

    public void OnFeedback(FeedbackReport report, long nowUs)
    {
        FeedbackReports++;
        Rtt.OnEcho(nowUs, report.EchoSendTimeUs, report.EchoHoldUs);
        var rttUs = Rtt.HasSample ? Rtt.SmoothedUs : 100_000;

        var sawOveruse = false;
        var expected = 0;
        var lost = 0;
        var arrivals = report.Arrivals;
        for (var i = 0; i < arrivals.Length; i++)
        {
            var sequence = report.BaseSequence + i;
            if (!History.TryGet(sequence, out var sendUs, out var size))
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
            if (_grouper.TryAdd(sendUs, arrivalUs, size, out var sendDelta, out var arrivalDelta))
            {
                var usage = _trendline.Update(arrivalDelta / 1000.0, sendDelta / 1000.0, arrivalUs / 1000.0);
                sawOveruse |= usage == BandwidthUsage.Overusing;
            }
        }
        Usage = sawOveruse ? BandwidthUsage.Overusing : _trendline.State;
        var delayBased = _aimd.Update(Usage, _acked.BitsPerSecond, nowUs, rttUs);
        var lossBased = _lossBased.Update(expected, lost, nowUs, rttUs, delayBased, _settings.MinBps);
        EstimateBps = Math.Clamp(Math.Min(delayBased, lossBased), _settings.MinBps, _settings.MaxBps);
        LinkState = new LinkState(report.LossRate, report.MeanBurstLength, report.JitterUs / 1000.0, rttUs / 1000.0);
    }
}
