namespace Aqs.Kernel.Network.Egress.Rtcp;

/// <summary>What the reports of one standard receiver say about the link, for the NetworkStats the engine reads.</summary>
/// <param name="BoundBps">The loss-based bound on our rate, or null while losses put none.</param>
/// <param name="RttMs">NaN until a report echoes one of our sender reports.</param>
public readonly record struct RtcpView(long Reports, double? BoundBps, double LossRate, double JitterMs, double RttMs, long CumulativeLost);

/// <summary>
/// Turns the RTCP a standard receiver sends back into link figures: fraction lost and jitter from each report
/// block about our SSRC, RTT from the echo of a sender report we sent (RFC 3550 §6.4.1: arrival − LSR − DLSR, with
/// the send time taken from our own clock when the SR left, so the two hosts' clocks need not agree), and the
/// loss-based bound of <see cref="RtcpRateController"/>. Thread-safe: the sender thread logs SRs, the RTCP thread reports.
/// </summary>
public sealed class RtcpFeedback
{
    private const int SrHistory = 16;
    private const double VideoClockHz = 90_000;
    private readonly object _lock = new();
    private readonly (uint Ntp, long SentNs)[] _senderReports = new (uint, long)[SrHistory];
    private readonly RtcpRateController _rate = new();
    private int _srNext;
    private RtcpView _view = new(0, null, 0, 0, double.NaN, 0);
    private int _fresh;

    /// <summary>Notes that a sender report with this NTP middle word left now.</summary>
    public void OnSenderReportSent(uint ntpMiddle, long nowNs)
    {
        lock (_lock)
        {
            _senderReports[_srNext] = (ntpMiddle, nowNs);
            _srNext = (_srNext + 1) % SrHistory;
        }
    }

    /// <summary>Takes a report block about our stream, received now, while we were sending <paramref name="sendRateBps"/>.</summary>
    public void OnReport(in RtcpReportBlock block, double sendRateBps, long nowNs)
    {
        lock (_lock)
        {
            var rtt = _view.RttMs;
            if (block.LastSr != 0)
            {
                foreach (var (ntp, sentNs) in _senderReports)
                {
                    if (ntp == block.LastSr && sentNs != 0)
                    {
                        var measured = (nowNs - sentNs) / 1e6 - block.DelaySinceLastSr * 1000.0 / 65536;
                        rtt = Math.Max(0, measured);
                        break;
                    }
                }
            }
            var bound = _rate.Update(block.LossFraction, sendRateBps, double.IsNaN(rtt) ? 0 : rtt, nowNs / 1000);
            _view = new RtcpView(_view.Reports + 1, bound, block.LossFraction, block.Jitter * 1000.0 / VideoClockHz, rtt, block.CumulativeLost);
        }
        Volatile.Write(ref _fresh, 1);
    }

    public RtcpView View
    {
        get
        {
            lock (_lock)
            {
                return _view;
            }
        }
    }

    /// <summary>True once after each new report: the kernel passes fresh feedback on to the engine at once.</summary>
    public bool TakeFresh() => Interlocked.Exchange(ref _fresh, 0) != 0;
}
