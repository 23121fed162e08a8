namespace Aqs.Kernel.Preprocess.Sources;

/// <summary>
/// The synthetic source's options as a function of the frame number: segments of constant motion/detail/noise/cut
/// period, the list of explicit cuts, and the distance travelled (integral of the motion speed), so any frame can be
/// drawn on its own from (seed, frame) — which is what makes seeking, looping and determinism free.
/// Queries allocate nothing.
/// </summary>
internal sealed class SyntheticTimeline
{
    internal readonly struct Segment
    {
        public long StartFrame { get; init; }
        public double Motion { get; init; }
        public double Detail { get; init; }
        public double Noise { get; init; }
        /// <summary>Frames between periodic cuts, counted from <see cref="StartFrame"/>; 0 = none.</summary>
        public long CutPeriod { get; init; }
        public double DistanceAtStart { get; init; }
        /// <summary>Periodic cuts in all earlier segments.</summary>
        public long PeriodicCutsBefore { get; init; }
        /// <summary>The last periodic cut frame of all earlier segments, or 0.</summary>
        public long LastPeriodicCutBefore { get; init; }
    }

    private readonly Segment[] _segments;
    private readonly long[] _cuts;

    public SyntheticTimeline(SyntheticOptions o)
    {
        var fps = o.Fps;
        long CutPeriod(double seconds) => seconds <= 0 ? 0 : Math.Max(1, (long)Math.Round(seconds * fps));
        var motion = o.MotionSpeed;
        var detail = o.Detail;
        var noise = o.Noise;
        var period = CutPeriod(o.SceneCutEverySeconds);
        var timed = (o.Script?.Entries ?? [])
            .Select((e, i) => (Frame: e.InFrames ? (long)Math.Round(e.Time) : (long)Math.Round(e.Time * fps), Order: i, Entry: e))
            .OrderBy(p => p.Frame).ThenBy(p => p.Order)
            .ToList();
        var segments = new List<Segment>();
        var cuts = new SortedSet<long>();
        var distance = 0.0;
        long periodicBefore = 0, lastPeriodic = 0;
        long start = 0;
        var index = 0;
        while (true)
        {
            while (index < timed.Count && timed[index].Frame == start)
            {
                foreach (var a in timed[index].Entry.Actions)
                {
                    switch (a.Kind)
                    {
                        case SyntheticScript.ScriptActionKind.Motion: motion = a.Value; break;
                        case SyntheticScript.ScriptActionKind.Detail: detail = a.Value; break;
                        case SyntheticScript.ScriptActionKind.Noise: noise = a.Value; break;
                        case SyntheticScript.ScriptActionKind.CutEvery: period = CutPeriod(a.Value); break;
                        case SyntheticScript.ScriptActionKind.Cut:
                            if (start > 0)
                            {
                                cuts.Add(start);
                            }
                            break;
                    }
                }
                index++;
            }
            var segment = new Segment
            {
                StartFrame = start, Motion = motion, Detail = detail, Noise = noise, CutPeriod = period,
                DistanceAtStart = distance, PeriodicCutsBefore = periodicBefore, LastPeriodicCutBefore = lastPeriodic,
            };
            segments.Add(segment);
            if (index >= timed.Count)
            {
                break;
            }
            var next = timed[index].Frame;
            distance += motion * (next - start);
            if (period > 0)
            {
                var n = (next - 1 - start) / period;
                periodicBefore += n;
                if (n > 0)
                {
                    lastPeriodic = start + n * period;
                }
            }
            start = next;
        }
        _segments = segments.ToArray();
        _cuts = cuts.ToArray();
    }

    public ref readonly Segment SegmentAt(long frame)
    {
        var i = _segments.Length - 1;
        while (i > 0 && _segments[i].StartFrame > frame)
        {
            i--;
        }
        return ref _segments[i];
    }

    /// <summary>Distance the background has travelled by <paramref name="frame"/>, in pixels.</summary>
    public double Distance(long frame)
    {
        ref readonly var s = ref SegmentAt(frame);
        return s.DistanceAtStart + s.Motion * (frame - s.StartFrame);
    }

    /// <summary>Which scene <paramref name="frame"/> belongs to (0 = the first) and the frame that scene started at.</summary>
    public (long Scene, long Start) SceneAt(long frame)
    {
        ref readonly var s = ref SegmentAt(frame);
        var scene = s.PeriodicCutsBefore;
        var start = s.LastPeriodicCutBefore;
        if (s.CutPeriod > 0 && frame > s.StartFrame)
        {
            var n = (frame - s.StartFrame) / s.CutPeriod;
            scene += n;
            if (n > 0)
            {
                start = s.StartFrame + n * s.CutPeriod;
            }
        }
        // Explicit cuts: count those at or before the frame (binary search, no allocation).
        var idx = Array.BinarySearch(_cuts, frame);
        var count = idx >= 0 ? idx + 1 : ~idx;
        scene += count;
        if (count > 0)
        {
            start = Math.Max(start, _cuts[count - 1]);
        }
        return (scene, start);
    }
}
