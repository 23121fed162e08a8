namespace Aqs.Kernel.Network.Estimation;

/// <summary>
/// Capacity from one probe cluster's feedback, in the manner of libwebrtc's ProbeBitrateEstimator: once at
/// least 80 % of the cluster's datagrams (and bytes) are reported received, send rate = bytes sent (less the
/// last datagram) over the send interval, receive rate = bytes received (less the first datagram) over the
/// receive interval. A receive rate over 2× the send rate is a measurement artefact and rejected; a receive
/// rate clearly under the send rate (&lt; 90 %) means the link saturated, and 95 % of it is the capacity;
/// otherwise the link carried the whole probe and its send rate is a lower bound. Fixed slots, no allocation.
/// </summary>
public sealed class ProbeBitrateEstimator
{
    private const int Slots = 8;
    private const double MinReceivedRatio = 0.8;
    private const double MaxValidRatio = 2.0;
    private const double MinRatioForUnsaturatedLink = 0.9;
    private const double TargetUtilization = 0.95;
    private const long MaxIntervalUs = 1_000_000;

    private readonly Cluster[] _clusters = new Cluster[Slots];

    private struct Cluster
    {
        public int Id;
        public int PlannedPackets;
        public long PlannedBytes;
        public int Received;
        public long FirstSendUs, LastSendUs, FirstArrivalUs, LastArrivalUs;
        public int LastSendSize, FirstArrivalSize;
        public long SentBytes, ReceivedBytes;
        public bool Reported;
    }

    public ProbeBitrateEstimator()
    {
        for (var i = 0; i < Slots; i++)
        {
            _clusters[i].Id = -1;
        }
    }

    /// <summary>Results produced (valid cluster measurements) and clusters rejected, for diagnostics.</summary>
    public long Results { get; private set; }
    public long Rejected { get; private set; }

    /// <summary>Announces a cluster before its datagrams go out (its planned size sets the 80 % bar).</summary>
    public void OnClusterStarted(in ProbeCluster cluster)
    {
        ref var c = ref _clusters[cluster.Id % Slots];
        c = default;
        c.Id = cluster.Id;
        c.PlannedPackets = cluster.Packets;
        c.PlannedBytes = (long)cluster.Packets * cluster.PacketBytes;
        c.FirstSendUs = c.FirstArrivalUs = long.MaxValue;
        c.LastSendUs = c.LastArrivalUs = long.MinValue;
    }

    /// <summary>
    /// One received datagram of cluster <paramref name="clusterId"/>; returns the cluster's capacity estimate
    /// (bit/s) the first time enough of it has been reported, else null.
    /// </summary>
    public double? OnProbeAcked(int clusterId, long sendUs, long arrivalUs, int sizeBytes)
    {
        ref var c = ref _clusters[clusterId % Slots];
        if (c.Id != clusterId || c.Reported)
        {
            return null;
        }
        c.Received++;
        if (sendUs < c.FirstSendUs)
        {
            c.FirstSendUs = sendUs;
        }
        if (sendUs >= c.LastSendUs)
        {
            c.LastSendUs = sendUs;
            c.LastSendSize = sizeBytes;
        }
        if (arrivalUs < c.FirstArrivalUs)
        {
            c.FirstArrivalUs = arrivalUs;
            c.FirstArrivalSize = sizeBytes;
        }
        c.LastArrivalUs = Math.Max(c.LastArrivalUs, arrivalUs);
        c.SentBytes += sizeBytes;
        c.ReceivedBytes += sizeBytes;
        if (c.Received < MinReceivedRatio * c.PlannedPackets || c.ReceivedBytes < MinReceivedRatio * c.PlannedBytes)
        {
            return null;
        }
        var result = Evaluate(ref c);
        if (result is null)
        {
            // Keep collecting: the rest of the cluster may still give a valid interval.
            return null;
        }
        c.Reported = true;
        Results++;
        return result;
    }

    private double? Evaluate(ref Cluster c)
    {
        var sendInterval = c.LastSendUs - c.FirstSendUs;
        var receiveInterval = c.LastArrivalUs - c.FirstArrivalUs;
        if (sendInterval <= 0 || sendInterval > MaxIntervalUs || receiveInterval <= 0 || receiveInterval > MaxIntervalUs)
        {
            if (c.Received >= c.PlannedPackets)
            {
                Rejected++;
                c.Reported = true;
            }
            return null;
        }
        var sendBps = (c.SentBytes - c.LastSendSize) * 8.0 * 1_000_000 / sendInterval;
        var receiveBps = (c.ReceivedBytes - c.FirstArrivalSize) * 8.0 * 1_000_000 / receiveInterval;
        if (receiveBps > MaxValidRatio * sendBps)
        {
            Rejected++;
            c.Reported = true;
            return null;
        }
        var estimate = Math.Min(sendBps, receiveBps);
        if (receiveBps < MinRatioForUnsaturatedLink * sendBps)
        {
            estimate = TargetUtilization * receiveBps;
        }
        return estimate;
    }
}
