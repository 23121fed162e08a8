using System.Diagnostics;
using Aqs.Bench.Harness;
using Aqs.Kernel.Network.Emulation;
using Aqs.Kernel.Network.Emulation.Simulation;
using Aqs.Kernel.Network.Estimation;
using Aqs.Kernel.Network.FecPolicy;

namespace Aqs.Bench.Network;

/// <summary>
/// Kernel A's control loop (GCC-style estimate → 60 fps frames → RS blocks → pacer → emulator → feedback)
/// in simulated time on every Mahimahi trace in ../shared/data/traces (generated traces when absent):
/// goodput and frame loss with FEC off, the seed's formula and our residual-loss policy, each measured in the
/// same run on the same seeded link, and reported as ratios to FEC off and to the seed formula.
/// </summary>
public sealed class TraceBench : IBenchSuite
{
    public string Name => "traces";

    public string Description => "goodput / frame loss on Mahimahi traces: FEC off vs seed formula vs residual-loss FEC";

    private static readonly (string Name, string Spec)[] Profiles =
    [
        ("trace only", "delay:30ms,queue:300ms,seed:5"),
        ("+3% random loss", "delay:30ms,queue:300ms,loss:3%,seed:5"),
        ("+3% bursty loss (burst 3)", "delay:30ms,queue:300ms,loss:3%,burst:3,seed:5"),
    ];

    public int Run(BenchReport report, BenchOptions options)
    {
        var traces = LoadTraces(options, out var source);
        var seconds = options.Quick ? 20 : 120;
        if (options.Quick)
        {
            traces = traces.Take(2).ToList();
        }
        var policies = new (string Name, IFecPolicy? Policy)[]
        {
            ("off", null),
            ("seed", new SeedFecPolicy()),
            ("ours", new ResidualLossFecPolicy()),
        };

        var defaults = new Aqs.Kernel.Network.Estimation.BweSettings();
        report.Section("Setup",
            $"Traces: {source}. Each run: {seconds} s of simulated time, 60 fps, keyframe every 2 s (4x size), delta sizes +-30 %, " +
            "frame deadline 400 ms, 1200-byte shards + 60-byte header, feedback every 50 ms over the same one-way delay, pacer 1.5x estimate. " +
            $"Bandwidth estimate: GCC delay gradient + loss, acked-rate floor, probe clusters (start-up 3x/6x, periodic {defaults.ProbeScale}x every {defaults.ProbeIntervalUs / 1e6} s, recovery after a large drop, " +
            "30 ms of media or padding each; padding is counted in the wire bytes, not in goodput). " +
            "Seed = clamp(2*loss + 0.5*jitter_ms, 5 %, 50 %) parity per data shard, keyframes doubled; ours = smallest parity with " +
            "P(block loss) <= 0.1 % (keyframes 0.01 %), binomial or Gilbert model from the measured channel loss and burst length (losses of packets that met a full queue are left to the rate controller), parity capped at 0.4 k (keyframes k), plus one shard where the frame loss it saves is worth its bits (a lost frame costs 30 frames of bits, a keyframe 120). " +
            "Goodput counts media bytes of frames recovered (>= k of k+m arrived) before their deadline. " +
            "All three policies see the same seeded impairments; ratios compare runs of this same invocation.");

        var totals = new Dictionary<(string Profile, string Policy), (double Goodput, long Sent, long Lost)>();
        var wall = Stopwatch.StartNew();
        long simulated = 0;
        foreach (var (profileName, spec) in Profiles)
        {
            report.Section($"Profile: {profileName} (`{spec}`)");
            report.Table("trace", "FEC", "goodput Mbit/s", "goodput / off", "goodput / seed", "frame loss", "unrecoverable", "late", "keyframes lost", "parity / data", "estimate / capacity", "time over capacity");
            foreach (var trace in traces)
            {
                var results = new Dictionary<string, ClosedLoopResult>();
                foreach (var (policyName, policy) in policies)
                {
                    var result = ClosedLoopSimulation.Run(new ClosedLoopOptions
                    {
                        Trace = trace,
                        Impairment = ImpairmentSpec.Parse(spec),
                        DurationSeconds = seconds,
                        Fec = policy,
                    });
                    simulated += seconds;
                    results[policyName] = result;
                    var key = (profileName, policyName);
                    totals.TryGetValue(key, out var t);
                    totals[key] = (t.Goodput + result.GoodputBps, t.Sent + result.FramesSent, t.Lost + result.FramesSent - result.FramesDelivered);
                }
                foreach (var (policyName, _) in policies)
                {
                    var r = results[policyName];
                    report.Row(trace.Name, policyName, r.GoodputBps / 1e6,
                        Ratio(r.GoodputBps, results["off"].GoodputBps), Ratio(r.GoodputBps, results["seed"].GoodputBps),
                        Percent(r.FrameLossRate), Percent(r.UnrecoverableRate), r.FramesLate,
                        $"{r.KeyframesLost}/{r.KeyframesSent}", Percent(r.FecOverhead), r.MeanEstimateOverCapacity(), Percent(r.OverestimateShare()));
                }
            }
        }

        report.Section("Summary over all traces",
            "Goodput summed over traces; frame loss = all lost or late frames / all sent frames.");
        report.Table("profile", "FEC", "goodput / off", "goodput / seed", "frame loss");
        foreach (var (profileName, _) in Profiles)
        {
            var off = totals[(profileName, "off")];
            var seed = totals[(profileName, "seed")];
            foreach (var (policyName, _) in policies)
            {
                var t = totals[(profileName, policyName)];
                report.Row(profileName, policyName, Ratio(t.Goodput, off.Goodput), Ratio(t.Goodput, seed.Goodput), Percent((double)t.Lost / Math.Max(1, t.Sent)));
            }
        }

        report.Section("Bandwidth estimate tracking (FEC off, trace only): probing vs the same estimator without probes",
            "Capacity = the trace's rate over the second before each 100 ms sample; first 2 s skipped. " +
            "Tracking error = mean |estimate - capacity| / mean capacity; time over capacity = share of samples with the estimate above it. " +
            "'no probes' is the same run with BweSettings.Probing off (GCC's AIMD alone between overuse signals), the baseline of this invocation.");
        report.Table("trace", "mean capacity Mbit/s", "estimate / capacity", "(no probes)", "tracking error", "(no probes)", "time over capacity", "(no probes)",
            "goodput / no probes", "frame loss", "(no probes)", "padding / wire bytes");
        double sumRatio = 0, sumBase = 0;
        foreach (var trace in traces)
        {
            ClosedLoopResult Run(bool probing) => ClosedLoopSimulation.Run(new ClosedLoopOptions
            {
                Trace = trace,
                Impairment = ImpairmentSpec.Parse(Profiles[0].Spec),
                DurationSeconds = seconds,
                Bwe = new BweSettings { Probing = probing },
            });
            var r = Run(true);
            var b = Run(false);
            simulated += 2 * seconds;
            sumRatio += r.MeanEstimateOverCapacity();
            sumBase += b.MeanEstimateOverCapacity();
            report.Row(trace.Name, trace.CapacityBitsPerSecond(0, seconds * 1000L) / 1e6, r.MeanEstimateOverCapacity(), b.MeanEstimateOverCapacity(),
                Percent(r.TrackingError()), Percent(b.TrackingError()), Percent(r.OverestimateShare()), Percent(b.OverestimateShare()),
                Ratio(r.GoodputBps, b.GoodputBps), Percent(r.FrameLossRate), Percent(b.FrameLossRate), Percent((double)r.PaddingBytesSent / Math.Max(1, r.WireBytesSent)));
        }
        report.Note($"Mean estimate / capacity over these traces: {sumRatio / traces.Count:F2} with probing, {sumBase / traces.Count:F2} without.");
        report.Note($"Simulated {simulated} s of link time in {wall.Elapsed.TotalSeconds:F1} s of wall time ({simulated / wall.Elapsed.TotalSeconds:F0}x real time).");
        return 0;
    }

    private static List<MahimahiTrace> LoadTraces(BenchOptions options, out string source)
    {
        var dir = options.DataDirectory is { } data ? Path.Combine(data, "traces") : null;
        if (dir is not null && Directory.Exists(dir))
        {
            var files = Directory.GetFiles(dir).Where(f => f.EndsWith(".up", StringComparison.Ordinal) || f.EndsWith(".down", StringComparison.Ordinal))
                .OrderBy(f => f, StringComparer.Ordinal).ToList();
            if (files.Count > 0)
            {
                source = $"{files.Count} recorded Mahimahi traces from ../shared/data/traces";
                return files.Select(f =>
                {
                    var t = MahimahiTrace.Load(f);
                    return new MahimahiTrace(Path.GetFileName(f), t.OpportunityMs.ToArray());
                }).ToList();
            }
        }
        source = "generated (../shared/data/traces absent): constant, step down/up, sawtooth";
        return
        [
            TraceGenerator.Constant(4e6, 20_000),
            TraceGenerator.Step(6e6, 2e6, 10_000, 20_000),
            TraceGenerator.Step(1.5e6, 5e6, 10_000, 20_000),
            TraceGenerator.Sawtooth(1e6, 8e6, 10_000, 20_000),
        ];
    }

    private static string Ratio(double value, double baseline) => baseline <= 0 ? "n/a" : (value / baseline).ToString("F2", System.Globalization.CultureInfo.InvariantCulture) + "x";

    private static string Percent(double value) => double.IsNaN(value) ? "n/a" : (value * 100).ToString("F2", System.Globalization.CultureInfo.InvariantCulture) + " %";
}
