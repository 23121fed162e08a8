using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Aqs.Orchestration.Live;
using Aqs.Orchestration.Run;
using Aqs.Orchestration.Supervision;
using Microsoft.Extensions.Logging;

namespace Aqs.Orchestration.Soak;

/// <summary>What a soak does to the pipeline.</summary>
public sealed record SoakOptions
{
    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(30);
    /// <summary>A random kernel is killed (SIGKILL) or frozen (SIGSTOP, so the supervisor must spot the hang) this often.</summary>
    public TimeSpan FaultEvery { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>No fault this close to the end: the last restart must have time to recover.</summary>
    public TimeSpan QuietEnd { get; init; } = TimeSpan.FromSeconds(20);
    public int Seed { get; init; } = 1;
    public string RunsDirectory { get; init; } = "runs";
    /// <summary>Impairments Kernel A rotates through, one per restart of it.</summary>
    public IReadOnlyList<string?> Impairments { get; init; } = [];
    /// <summary>The source: small and looped, so the soak measures the machinery, not the codec.</summary>
    public string Size { get; init; } = "320x180";
    public double Fps { get; init; } = 30;
}

/// <summary>One fault the soak injected.</summary>
public sealed record SoakFault(double AtS, KernelKind Kind, string Action);

/// <summary>
/// <c>aqs soak</c>: the full pipeline for a long time under rotating impairments, with kernels killed and frozen at
/// random; at the end the verdict: every restart recovered, no kernel stuck at the stop, memory and descriptors flat,
/// and frames lost only where the network or a restart lost them.
/// </summary>
public sealed class SoakRun
{
    private readonly SoakOptions _options;
    private readonly TextWriter _progress;
    private readonly ILoggerFactory? _logs;
    private readonly List<SoakFault> _faults = [];
    private readonly List<(double T, double RssMb, int Fds)> _launcher = [];

    public SoakRun(SoakOptions options, TextWriter progress, ILoggerFactory? logs = null)
    {
        _options = options;
        _progress = progress;
        _logs = logs;
    }

    public SoakVerdict Execute(CancellationToken cancel)
    {
        var random = new Random(_options.Seed);
        var run = new PipelineRun(new RunOptions
        {
            Duration = _options.Duration,
            Input = "synthetic",
            Size = _options.Size,
            Fps = _options.Fps,
            View = RunView.None,
            RunsDirectory = _options.RunsDirectory,
            NetworkRotation = _options.Impairments.Count > 0 ? _options.Impairments : null,
            // Faults come faster than a minute apart; the soak wants every one of them restarted.
            Supervision = new SupervisionPolicy { MaxRestartsPerMinute = 10 },
            DisplayArguments = ["--vmaf", "off"],
        }, _progress, _logs);
        var nextFault = _options.FaultEvery;
        run.Telemetry.Sampled += sample =>
        {
            if (ProcessStats.Read(Environment.ProcessId) is { } self)
            {
                _launcher.Add((sample.T, self.RssMb, self.OpenFds));
            }
            _progress.WriteLine($"aqs soak: {PlainView.Line(sample)}");
            var streaming = run.Telemetry.Flowing;
            if (!streaming || TimeSpan.FromSeconds(sample.T) < nextFault || TimeSpan.FromSeconds(sample.T) > _options.Duration - _options.QuietEnd)
            {
                return;
            }
            nextFault = TimeSpan.FromSeconds(sample.T) + _options.FaultEvery;
            var kinds = Enum.GetValues<KernelKind>();
            var kind = kinds[random.Next(kinds.Length)];
            if (run.Supervisor?.Current.TryGetValue(kind, out var kernel) is not true || kernel!.HasExited)
            {
                return;
            }
            var freeze = random.Next(3) == 0;
            kernel.Signal(freeze ? Native.SIGSTOP : Native.SIGKILL);
            _faults.Add(new SoakFault(sample.T, kind, freeze ? "SIGSTOP (hang)" : "SIGKILL"));
            _progress.WriteLine($"aqs soak: {(freeze ? "froze" : "killed")} {kind.ExecutableName()} pid {kernel.Pid} at {sample.T:F0} s");
        };
        var result = run.Execute(cancel);
        return SoakVerdict.From(result, run.Telemetry.Snapshot(), _faults, _launcher, run.Supervisor!.ForcedStops);
    }
}

/// <summary>The soak's figures and whether each of its promises held.</summary>
public sealed record SoakVerdict
{
    public required RunResult Run { get; init; }
    public required IReadOnlyList<SoakFault> Faults { get; init; }
    public required IReadOnlyList<string> Problems { get; init; }
    public required JsonObject Figures { get; init; }

    public bool Passed => Problems.Count == 0;

    /// <summary>How much growth between the second quarter and the last quarter of the run counts as flat.</summary>
    public const double RssGrowthMb = 40;
    public const double FdGrowth = 16;
    /// <summary>Longest a restart may take until frames flow again (start-up of a .NET kernel on a busy 2-core machine included).</summary>
    public static readonly TimeSpan MaxRecovery = TimeSpan.FromSeconds(20);

    public static SoakVerdict From(RunResult run, IReadOnlyList<TelemetrySample> samples, IReadOnlyList<SoakFault> faults,
        IReadOnlyList<(double T, double RssMb, int Fds)> launcher, IReadOnlyList<KernelKind> forcedStops)
    {
        var problems = new List<string>();
        var figures = new JsonObject();
        if (run.Failure is { } failure)
        {
            problems.Add("the run failed: " + failure);
        }
        var unrecovered = run.Restarts.Where(r => !r.Recovered).ToList();
        if (unrecovered.Count > 0)
        {
            problems.Add($"{unrecovered.Count} restart(s) never recovered: {string.Join("; ", unrecovered.Select(r => r.Describe()))}");
        }
        var slow = run.Restarts.Where(r => r.Recovered && r.RecoveredAtS!.Value - r.FailedAtS > MaxRecovery.TotalSeconds).ToList();
        figures["recoveries_over_limit"] = slow.Count;
        if (slow.Count > 0)
        {
            problems.Add($"{slow.Count} restart(s) took over {MaxRecovery.TotalSeconds:F0} s to recover, the longest {slow.Max(r => r.RecoveredAtS!.Value - r.FailedAtS):F0} s");
        }
        if (faults.Count > run.Restarts.Count)
        {
            problems.Add($"{faults.Count - run.Restarts.Count} fault(s) never led to a restart (a frozen kernel that publishes no heartbeat is not seen as hung)");
        }
        if (forcedStops.Count > 0)
        {
            problems.Add($"stuck at the stop (had to be signalled): {string.Join(", ", forcedStops.Select(k => k.ExecutableName()))}");
        }
        if (run.LeftoverFiles.Count > 0)
        {
            problems.Add($"{run.LeftoverFiles.Count} /dev/shm file(s) left");
        }
        figures["faults"] = faults.Count;
        figures["restarts"] = run.Restarts.Count;
        figures["restarts_recovered"] = run.Restarts.Count(r => r.Recovered);
        figures["recovery_ms_max"] = run.Restarts.Where(r => r.Recovered).Select(r => (r.RecoveredAtS!.Value - r.FailedAtS) * 1000).DefaultIfEmpty(0).Max() is var rec ? Math.Round(rec) : 0;
        figures["frames_lost_across_restarts"] = run.Restarts.Sum(r => r.FramesLost ?? 0);

        // Flat: each kernel's current process and the launcher, second quarter against last quarter (medians).
        Flat("launcher", launcher.Select(l => (l.T, l.RssMb, (double)l.Fds)).ToList(), figures, problems);
        foreach (var kind in Enum.GetValues<KernelKind>())
        {
            var name = kind.ExecutableName();
            // Only the samples since this kernel's last restart: a new process starts small.
            var since = run.Restarts.Where(r => r.Kind == kind).Select(r => r.RecoveredAtS ?? r.FailedAtS).DefaultIfEmpty(0).Max();
            var series = samples
                .Where(s => s.T > since && s.RssMb?.ContainsKey(name) == true && s.Fds?.ContainsKey(name) == true)
                .Select(s => (s.T, s.RssMb![name], s.Fds![name]))
                .ToList();
            Flat(name, series, figures, problems);
        }

        // Frames: what the encoder produced and the display did not show, against what the network and the restarts lost.
        var encoded = samples.LastOrDefault(s => s.FramesEncoded is not null)?.FramesEncoded ?? 0;
        var displayed = samples.LastOrDefault(s => s.FramesDisplayed is not null)?.FramesDisplayed ?? 0;
        var networkLost = NetworkLostOverRestarts(samples);
        var restartLost = run.Restarts.Sum(r => r.FramesLost ?? 0);
        var unexplained = encoded - displayed - networkLost - restartLost;
        figures["frames_encoded"] = encoded;
        figures["frames_displayed"] = displayed;
        figures["frames_lost_by_network"] = networkLost;
        figures["frames_unexplained"] = unexplained;
        // In flight at the last sample, and frames caught in a kernel as it was killed, are not losses of the network.
        var slack = Math.Max(30, (long)Math.Ceiling(0.01 * encoded)) + 60L * run.Restarts.Count;
        figures["frames_unexplained_allowed"] = slack;
        if (unexplained > slack)
        {
            problems.Add($"{unexplained} frames lost outside the network and the restarts (allowed {slack})");
        }
        return new SoakVerdict { Run = run, Faults = faults, Problems = problems, Figures = figures };
    }

    private static long NetworkLostOverRestarts(IReadOnlyList<TelemetrySample> samples)
    {
        long total = 0, last = 0;
        foreach (var lost in samples.Select(s => s.FramesLost).OfType<long>())
        {
            if (lost < last)
            {
                total += last; // a new kernel-network counts from zero
            }
            last = lost;
        }
        return total + last;
    }

    private static void Flat(string name, List<(double T, double RssMb, double Fds)> series, JsonObject figures, List<string> problems)
    {
        if (series.Count < 8)
        {
            return;
        }
        var quarter = series.Count / 4;
        var early = series.Skip(quarter).Take(quarter).ToList();
        var late = series.Skip(series.Count - quarter).ToList();
        var rssEarly = Median(early.Select(s => s.RssMb));
        var rssLate = Median(late.Select(s => s.RssMb));
        var fdEarly = Median(early.Select(s => s.Fds));
        var fdLate = Median(late.Select(s => s.Fds));
        figures[name] = new JsonObject
        {
            ["rss_mb"] = $"{rssEarly.ToString("F0", CultureInfo.InvariantCulture)} -> {rssLate.ToString("F0", CultureInfo.InvariantCulture)}",
            ["fds"] = $"{fdEarly:F0} -> {fdLate:F0}",
        };
        if (rssLate - rssEarly > RssGrowthMb)
        {
            problems.Add($"{name} memory grew from {rssEarly:F0} to {rssLate:F0} MB");
        }
        if (fdLate - fdEarly > FdGrowth)
        {
            problems.Add($"{name} descriptors grew from {fdEarly:F0} to {fdLate:F0}");
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[sorted.Count / 2];
    }

    public string Render()
    {
        var b = new StringBuilder();
        b.Append(Run.Render());
        b.AppendLine($"  soak      {Faults.Count} faults injected: " + string.Join(", ", Faults.Select(f => $"{f.Kind.ToString().ToLowerInvariant()} {f.Action} at {f.AtS:F0} s")));
        b.AppendLine($"  figures   {Figures.ToJsonString()}");
        b.AppendLine(Passed ? "  verdict   passed" : "  verdict   FAILED: " + string.Join("; ", Problems));
        return b.ToString();
    }
}
