using Aqs.Shared.Contracts;
using Aqs.Shared.Frames;
using Aqs.Shared.Rings;

namespace Aqs.Kernel.Network.Egress;

/// <summary>
/// The standard-protocol egresses of Kernel A (<c>--egress</c>, any number, beside our own transport). The kernel
/// hands each encoded frame over once (<see cref="Offer"/>), folds what RTP receivers report into the NetworkStats it
/// publishes (<see cref="Merge"/>: the stream is one encode for every receiver, so the tightest link sets the rate),
/// and passes on the keyframes egresses ask for. Each egress keeps its own counters for the summary.
/// </summary>
public sealed class EgressSet : IDisposable
{
    private readonly List<EgressWorker> _workers;

    private EgressSet(List<EgressWorker> workers)
    {
        _workers = workers;
    }

    public IReadOnlyList<EgressWorker> Workers => _workers;

    /// <summary>A set around egresses already started.</summary>
    internal static EgressSet Of(params EgressWorker[] workers) => new([.. workers]);

    /// <summary>Parses and starts every <paramref name="targets"/> value; a bad one is a one-line usage error before anything starts.</summary>
    public static EgressSet Start(IReadOnlyList<string> targets, Action<string> log)
    {
        var parsed = targets.Select(EgressTarget.Parse).ToList();
        var workers = new List<EgressWorker>();
        try
        {
            foreach (var target in parsed)
            {
                workers.Add(target.Kind == EgressKind.MpegTs ? new StreamEgress(target, log) : new RtpEgress(target, log));
            }
        }
        catch
        {
            workers.ForEach(w => w.Dispose());
            throw;
        }
        workers.ForEach(w => w.Start());
        return new EgressSet(workers);
    }

    /// <summary>One encoded frame from the enc ring; each egress gets its own copy, so the slot can be released at once.</summary>
    public void Offer(in SlotHeader header, ReadOnlySpan<byte> payload)
    {
        foreach (var worker in _workers)
        {
            worker.Offer(EgressFrame.Copy(payload, header.PtsNs, header.DurationNs, (header.Flags & SlotFlags.Keyframe) != 0,
                (header.Flags & SlotFlags.RungSwitch) != 0, header.Codec, header.Width, header.Height));
        }
    }

    /// <summary>True when some egress needs a keyframe (a receiver connected, or frames were dropped).</summary>
    public bool TakeKeyframeRequest()
    {
        var any = false;
        foreach (var worker in _workers)
        {
            any |= worker.TakeKeyframeRequest();
        }
        return any;
    }

    /// <summary>True once after any RTP receiver sent a new report: publish the stats now.</summary>
    public bool TakeFreshReport()
    {
        var any = false;
        foreach (var worker in _workers)
        {
            any |= worker is RtpEgress rtp && rtp.Feedback.TakeFresh();
        }
        return any;
    }

    /// <summary>
    /// Our own transport's stats with what standard receivers report folded in: the lowest estimate (a receiver's
    /// loss-based bound), the highest loss, jitter and RTT. Receivers that have not reported change nothing.
    /// </summary>
    public NetworkStats Merge(NetworkStats ours)
    {
        var merged = ours;
        foreach (var worker in _workers)
        {
            if (worker is not RtpEgress rtp || rtp.Feedback.View is not { Reports: > 0 } view)
            {
                continue;
            }
            merged = merged with
            {
                EstimatedBandwidthBps = view.BoundBps is { } bound ? Math.Min(merged.EstimatedBandwidthBps, bound) : merged.EstimatedBandwidthBps,
                LossRate = Math.Max(merged.LossRate, view.LossRate),
                JitterMs = Math.Max(merged.JitterMs, view.JitterMs),
                RttMs = double.IsNaN(view.RttMs) ? merged.RttMs : Math.Max(merged.RttMs, view.RttMs),
            };
        }
        return merged;
    }

    /// <summary>Per-egress counters for the kernel summary, keyed <c>egress_N_*</c>.</summary>
    public void AddTo(IDictionary<string, object?> summary)
    {
        for (var i = 0; i < _workers.Count; i++)
        {
            var w = _workers[i];
            var prefix = $"egress_{i}_";
            summary[prefix + "target"] = w.Target.Name;
            summary[prefix + "frames_offered"] = w.FramesOffered;
            summary[prefix + "frames_sent"] = w.FramesSent;
            summary[prefix + "frames_dropped"] = w.FramesDropped;
            summary[prefix + "bytes_sent"] = w.BytesSent;
            summary[prefix + "connects"] = w.Connects;
            summary[prefix + "connections_lost"] = w.ConnectionsLost;
            summary[prefix + "connect_failures"] = w.ConnectFailures;
            summary[prefix + "last_error"] = w.LastError;
            if (w is RtpEgress rtp)
            {
                var view = rtp.Feedback.View;
                summary[prefix + "rtp_packets_sent"] = rtp.PacketsSent;
                summary[prefix + "rtp_packets_dropped_by_emulator"] = rtp.PacketsDroppedByEmulator;
                summary[prefix + "rtcp_reports"] = view.Reports;
                summary[prefix + "rtcp_reports_malformed"] = rtp.ReportsMalformed;
                summary[prefix + "rtcp_loss_rate"] = view.LossRate;
                summary[prefix + "rtcp_cumulative_lost"] = view.CumulativeLost;
                summary[prefix + "rtcp_jitter_ms"] = view.JitterMs;
                summary[prefix + "rtcp_rtt_ms"] = double.IsNaN(view.RttMs) ? null : view.RttMs;
                summary[prefix + "rtcp_bound_bps"] = view.BoundBps;
                summary[prefix + "sdp"] = rtp.SdpPath;
                summary[prefix + "rtsp_sessions"] = rtp.Server?.Sessions;
                summary[prefix + "rtsp_bad_requests"] = rtp.Server?.BadRequests;
            }
        }
    }

    /// <summary>Sends what is queued, ends each stream (TS trailer, RTP BYE) and closes.</summary>
    public void Complete(TimeSpan drain)
    {
        foreach (var worker in _workers)
        {
            worker.Complete(drain);
        }
    }

    public void Dispose()
    {
        foreach (var worker in _workers)
        {
            worker.Dispose();
        }
    }
}
