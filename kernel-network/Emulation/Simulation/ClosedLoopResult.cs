namespace Aqs.Kernel.Network.Emulation.Simulation;

/// <summary>One estimate sample: time, estimate and the link capacity over the second before it (bit/s; capacity NaN without a trace).</summary>
public readonly record struct EstimateSample(long TimeUs, double EstimateBps, double CapacityBps, double AckedBps, double DelayBasedBps, double LossBasedBps, double RttMs)
{
    /// <summary>Wire bit/s sent over the sample interval before <see cref="TimeUs"/>.</summary>
    public double SentBps { get; init; }
}

/// <summary>Figures from one <see cref="ClosedLoopSimulation"/> run.</summary>
public sealed class ClosedLoopResult
{
    public required IReadOnlyList<EstimateSample> Samples { get; init; }
    public required double DurationSeconds { get; init; }
    public long FramesCaptured { get; init; }
    public long FramesSkipped { get; init; }
    public long FramesSent { get; init; }
    public long FramesDelivered { get; init; }
    public long FramesUnrecoverable { get; init; }
    public long FramesLate { get; init; }
    public long KeyframesSent { get; init; }
    public long KeyframesLost { get; init; }
    public long DataPackets { get; init; }
    public long ParityPackets { get; init; }
    public long PacketsLost { get; init; }
    public long MediaBytesDelivered { get; init; }
    public long WireBytesSent { get; init; }

    /// <summary>Bytes of padding sent to fill probe clusters (included in <see cref="WireBytesSent"/>).</summary>
    public long PaddingBytesSent { get; init; }
    public long ProbeClusters { get; init; }

    /// <summary>
    /// Age of the picture on the simulated screen (now − capture time of the newest delivered frame) at every display
    /// refresh after the first delivery, ms: latency as a viewer sees it, freezes included.
    /// </summary>
    public IReadOnlyList<double> DisplayAgesMs { get; init; } = [];

    /// <summary>When each of <see cref="DisplayAgesMs"/> was sampled, µs.</summary>
    public IReadOnlyList<long> DisplayAgeTimesUs { get; init; } = [];

    /// <summary>The on-screen ages sampled in [<paramref name="fromUs"/>, <paramref name="toUs"/>).</summary>
    public IEnumerable<double> DisplayAgesBetween(long fromUs, long toUs) =>
        DisplayAgesMs.Where((_, i) => DisplayAgeTimesUs[i] >= fromUs && DisplayAgeTimesUs[i] < toUs);

    /// <summary>Capture time of each delivered frame in delivery order, µs (the frames the screen showed).</summary>
    public IReadOnlyList<long> PresentedCaptureUs { get; init; } = [];

    /// <summary>When each of <see cref="PresentedCaptureUs"/> reached the screen, µs.</summary>
    public IReadOnlyList<long> PresentedAtUs { get; init; } = [];

    /// <summary>Percentile <paramref name="p"/> (0..100) of <see cref="DisplayAgesMs"/> after <paramref name="skipUs"/>.</summary>
    public double DisplayAgePercentileMs(double p, long skipUs = 0)
    {
        var ages = DisplayAgesBetween(skipUs, long.MaxValue).Order().ToArray();
        if (ages.Length == 0)
        {
            return double.NaN;
        }
        var rank = Math.Clamp((int)Math.Ceiling(p / 100 * ages.Length) - 1, 0, ages.Length - 1);
        return ages[rank];
    }

    /// <summary>Freezes as libwebrtc's getStats counts them: a gap between presented frames over max(3 × mean, mean + 150 ms).</summary>
    public (int Count, double TotalMs) Freezes()
    {
        var at = PresentedAtUs;
        if (at.Count < 2)
        {
            return (0, 0);
        }
        int count = 0;
        double total = 0, sum = 0;
        for (var i = 1; i < at.Count; i++)
        {
            var gap = (at[i] - at[i - 1]) / 1000.0;
            var mean = i > 1 ? sum / (i - 1) : gap;
            if (i > 1 && gap > Math.Max(3 * mean, mean + 150))
            {
                count++;
                total += gap;
            }
            sum += gap;
        }
        return (count, total);
    }
    /// <summary>Media bytes of frames delivered in time, per second, in bit/s.</summary>
    public double GoodputBps => MediaBytesDelivered * 8.0 / DurationSeconds;

    /// <summary>Sent frames that were unrecoverable or late.</summary>
    public double FrameLossRate => FramesSent == 0 ? 0 : (double)(FramesSent - FramesDelivered) / FramesSent;

    /// <summary>Sent frames that FEC could not recover (lateness aside).</summary>
    public double UnrecoverableRate => FramesSent == 0 ? 0 : (double)FramesUnrecoverable / FramesSent;

    /// <summary>Parity packets per data packet.</summary>
    public double FecOverhead => DataPackets == 0 ? 0 : (double)ParityPackets / DataPackets;

    /// <summary>Mean |estimate − capacity| / mean capacity over samples after <paramref name="skipUs"/>.</summary>
    public double TrackingError(long skipUs = 2_000_000)
    {
        double err = 0, cap = 0;
        foreach (var s in Samples)
        {
            if (s.TimeUs >= skipUs && !double.IsNaN(s.CapacityBps))
            {
                err += Math.Abs(s.EstimateBps - s.CapacityBps);
                cap += s.CapacityBps;
            }
        }
        return cap == 0 ? double.NaN : err / cap;
    }

    /// <summary>Share of samples (after <paramref name="skipUs"/>) whose estimate exceeds the capacity.</summary>
    public double OverestimateShare(long skipUs = 2_000_000)
    {
        int over = 0, all = 0;
        foreach (var s in Samples)
        {
            if (s.TimeUs >= skipUs && !double.IsNaN(s.CapacityBps))
            {
                all++;
                over += s.EstimateBps > s.CapacityBps ? 1 : 0;
            }
        }
        return all == 0 ? double.NaN : (double)over / all;
    }

    /// <summary>Mean estimate / mean capacity after <paramref name="skipUs"/> (link utilisation the estimate asks for).</summary>
    public double MeanEstimateOverCapacity(long skipUs = 2_000_000)
    {
        double est = 0, cap = 0;
        foreach (var s in Samples)
        {
            if (s.TimeUs >= skipUs && !double.IsNaN(s.CapacityBps))
            {
                est += s.EstimateBps;
                cap += s.CapacityBps;
            }
        }
        return cap == 0 ? double.NaN : est / cap;
    }
}
