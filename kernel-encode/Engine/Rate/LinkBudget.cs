namespace Aqs.Engine.Rate;

/// <summary>
/// The fast time scale of rate control (ARCHITECTURE §7, Salsify's lesson): how much the link can take right now.
/// Two limits, the smaller wins:
/// <list type="bullet">
/// <item>Queue: from the network kernel's last report (queueing delay of the newest acknowledged packet, when it
/// was sent, the bytes sent after it) and the frames encoded since, the queue standing on the path now is
/// <c>reported queue + bytes behind that packet / drain rate − time since it was sent</c>; a frame may add what
/// drains in one frame interval plus whatever the queue is below its target.</item>
/// <item>Bytes in flight: at most what the link drains in the time an acknowledgement takes plus the target
/// queue and a frame interval. When acknowledgements stop (an outage), the reports go stale and the first limit
/// cannot see it; this one stops sending after one window, so an outage leaves a short queue, not seconds of it.</item>
/// </list>
/// A frame that would overfill either is not encoded, so a falling link never builds seconds of queue.
/// The rates: while a queue stands, both the budget and the bitrate run on the delivery rate (then it is the link's
/// capacity). Without one, a stream that sends below the link delivers only what it sends, so the delivery rate
/// says nothing of the capacity: the bitrate aims at the larger of the estimate and twice what was delivered, so
/// the stream climbs back within seconds after a dip (for a second after a standing queue it does not probe above
/// the estimate); the budget counts on the estimate within 1.25 and 1.5 times the delivery. The queue, when it
/// appears, pulls both back within a report. Time is passed in (ns on one monotonic clock). Not thread-safe.
/// </summary>
public sealed class LinkBudget
{
    /// <summary>Below this standing queue the link is not saturated and the estimate, not the delivery rate, is the rate.</summary>
    public const double SaturatedQueueMs = 10;

    /// <summary>
    /// A standing queue between <see cref="SaturatedQueueMs"/> and <see cref="ClearlySaturatedQueueMs"/> means saturation
    /// only when this many reports running show it. A cellular link's transmission opportunities come in bursts, and a
    /// loaded host wakes its receiver late: a slow stream (a few packets per 100 ms) then meets 10-30 ms of "queue"
    /// in one report and none in the next, and reading that as a full link held the stream at what it sent
    /// (0.2 Mbit/s on a 7 Mbit/s T-Mobile trace). A full link's queue stays.
    /// </summary>
    public const int SustainedReports = 3;

    /// <summary>A standing queue this long is the link's at once.</summary>
    public const double ClearlySaturatedQueueMs = 50;

    private int _queuedReports;

    /// <summary>The floor of any rate estimate: even an outage is probed with small frames.</summary>
    public const double MinRateBps = 50_000;

    /// <summary>Without a queue, the bitrate may aim this far above what the receiver got (the probe step).</summary>
    public const double ProbeGain = 2.0;


    /// <summary>How often the receiver reports (Kernel A's feedback interval): part of an acknowledgement's delay.</summary>
    public const double FeedbackIntervalMs = 50;

    private const int History = 512;
    private readonly long[] _sentNs = new long[History];
    private readonly double[] _sentWire = new double[History];
    private int _next;
    private int _count;
    private NetworkConstraints? _net;
    private long _saturatedUntilNs = long.MinValue;
    private long _lastAckAdvanceNs = long.MinValue;

    /// <summary>No packet sent later than the last acknowledged one has been acknowledged for this long: the path is stalled.</summary>
    public const long StallNs = 150_000_000;

    /// <summary>How long a standing queue keeps the link marked saturated.</summary>
    public const long SaturationHoldNs = 1_000_000_000;

    public NetworkConstraints? Latest => _net;

    public void OnNetwork(in NetworkConstraints net)
    {
        // A report before the receiver acknowledged anything knows no delay, no delivery and counts every byte ever
        // sent as in flight: the budget waits for the first acknowledgement instead of acting on it.
        if (net.AckedSendTimeNs <= 0)
        {
            return;
        }
        if (_net is not { } old || net.TimestampNs >= old.TimestampNs)
        {
            if (_net is not { } previous || net.AckedSendTimeNs > previous.AckedSendTimeNs)
            {
                _lastAckAdvanceNs = net.TimestampNs;
            }
            if (_net is not { } last || net.TimestampNs > last.TimestampNs)
            {
                _queuedReports = net.StandingQueueMs > SaturatedQueueMs && net.DeliveryBps > 0 ? _queuedReports + 1 : 0;
            }
            _net = net;
            if (Saturated)
            {
                _saturatedUntilNs = net.TimestampNs + SaturationHoldNs;
                EverSaturated = true;
            }
        }
    }

    /// <summary>Records a frame handed to the network kernel.</summary>
    public void OnSent(long nowNs, int mediaBytes)
    {
        _sentNs[_next] = nowNs;
        _sentWire[_next] = WireOverhead.WireBytes(mediaBytes, _net?.FecOverhead ?? 0);
        _next = (_next + 1) % History;
        _count = Math.Min(History, _count + 1);
    }

    public double FecOverhead => _net?.FecOverhead ?? 0;

    /// <summary>A standing queue has been seen at least once: the link has shown where it ends.</summary>
    public bool EverSaturated { get; private set; }

    /// <summary>The reports show a standing queue (the delivery rate is then the capacity): a long one, or one that stays.</summary>
    public bool Saturated => _net is { } n && n.DeliveryBps > 0
        && (n.StandingQueueMs > ClearlySaturatedQueueMs || (n.StandingQueueMs > SaturatedQueueMs && _queuedReports >= SustainedReports));

    /// <summary>
    /// A standing queue was seen within the last second: the link was full a moment ago, so the bitrate does not probe
    /// above the estimate yet (it would only rebuild the queue the drop left).
    /// </summary>
    public bool RecentlySaturated => _net is { } n && n.TimestampNs < _saturatedUntilNs;

    /// <summary>
    /// The rate the path drains at now, wire bit/s, for the frame budget (NaN before a report): the delivery rate while a
    /// queue stands; without one, the estimate within [1.25, 1.5] times what was delivered (the estimate lags a falling
    /// link, and an encoder's frames vary about its rate: a budget on the delivery rate alone would cut every frame
    /// above the mean and starve the stream it measures).
    /// </summary>
    public double DrainRateBps
    {
        get
        {
            if (_net is not { } n || !(n.EstimateBps > 0))
            {
                return double.NaN;
            }
            if (Saturated)
            {
                return Math.Max(n.DeliveryBps, MinRateBps);
            }
            var rate = n.DeliveryBps > 0 ? Math.Clamp(n.EstimateBps, DrainGain * n.DeliveryBps, 1.5 * n.DeliveryBps) : n.EstimateBps;
            return Math.Max(rate, MinRateBps);
        }
    }

    /// <summary>Without a queue the budget counts on the link draining at least this much faster than it delivered.</summary>
    public const double DrainGain = 1.25;

    /// <summary>The wire rate the bitrate may aim at, probing upward while no queue stands (NaN before a report).</summary>
    public double UsableRateBps
    {
        get
        {
            if (_net is not { } n || !(n.EstimateBps > 0))
            {
                return double.NaN;
            }
            var rate = Saturated ? n.DeliveryBps
                : RecentlySaturated ? Math.Max(n.EstimateBps, n.DeliveryBps)
                : Math.Max(n.EstimateBps, n.DeliveryBps * ProbeGain);
            return Math.Max(rate, MinRateBps);
        }
    }

    /// <summary>Queueing delay on the path now, ms, from the last report and what was sent since (0 before any report).</summary>
    public double QueueNowMs(long nowNs)
    {
        if (_net is not { } n)
        {
            return 0;
        }
        var rate = DrainRateBps;
        if (n.AckedSendTimeNs <= 0 || double.IsNaN(rate))
        {
            return n.QueueDelayMs;
        }
        var behind = n.BytesInFlight + SentSince(n.TimestampNs);
        var sinceRefMs = (nowNs - n.AckedSendTimeNs) / 1e6;
        return Math.Max(0, n.QueueDelayMs + behind * 8 / rate * 1000 - sinceRefMs);
    }

    /// <summary>
    /// Largest media bytes the next frame may have so that the queue stays within <paramref name="targetQueueMs"/>
    /// once it has drained for <paramref name="frameIntervalMs"/>; null before the first network report.
    /// </summary>
    public double? FrameBudgetBytes(long nowNs, double frameIntervalMs, double targetQueueMs)
    {
        var rate = DrainRateBps;
        if (double.IsNaN(rate))
        {
            return null;
        }
        var roomMs = targetQueueMs + frameIntervalMs - QueueNowMs(nowNs);
        var byQueue = rate * Math.Max(0, roomMs) / 8000;
        var byFlight = InFlightWindowBytes(targetQueueMs, frameIntervalMs) - BytesInFlightNow();
        return WireOverhead.MediaBytes(Math.Max(0, Math.Min(byQueue, byFlight)), FecOverhead);
    }

    /// <summary>
    /// The path has stopped delivering: more than <paramref name="windows"/> windows of bytes in flight and no new
    /// acknowledgement for <see cref="StallNs"/>. A queue draining after a drop still acknowledges; an outage does not.
    /// </summary>
    public bool Stalled(long nowNs, double targetQueueMs, double frameIntervalMs, double windows) =>
        _net is not null && nowNs - _lastAckAdvanceNs >= StallNs
        && BytesInFlightNow() > windows * InFlightWindowBytes(targetQueueMs, frameIntervalMs);

    /// <summary>Wire bytes sent and not yet acknowledged, as the last report saw them plus what was sent since.</summary>
    public double BytesInFlightNow() => _net is { } n ? n.BytesInFlight + SentSince(n.TimestampNs) : 0;

    /// <summary>Most wire bytes that may be in flight: the drain rate over an acknowledgement's delay, the target queue and a frame.</summary>
    public double InFlightWindowBytes(double targetQueueMs, double frameIntervalMs)
    {
        if (_net is not { } n)
        {
            return double.PositiveInfinity;
        }
        var ackDelayMs = Math.Max(0, n.RttMs - n.QueueDelayMs) + FeedbackIntervalMs;
        return DrainRateBps * (ackDelayMs + targetQueueMs + frameIntervalMs) / 8000;
    }

    private double SentSince(long timeNs)
    {
        double bytes = 0;
        for (var i = 1; i <= _count; i++)
        {
            var slot = (_next - i + History) % History;
            if (_sentNs[slot] <= timeNs)
            {
                break;
            }
            bytes += _sentWire[slot];
        }
        return bytes;
    }
}
