using System.Diagnostics;
using System.Globalization;
using Aqs.Bench.Harness;
using Aqs.Orchestration;
using Aqs.Orchestration.Attack;
using Aqs.Orchestration.Overload;
using Aqs.Orchestration.Soak;

namespace Aqs.Bench.Reliability;

/// <summary>
/// <c>aqs bench reliability [--quick|--long]</c>: the fixed-seed fuzz targets of the test suite (inputs fed, refused,
/// crashes) and a soak of the real pipeline with kernels killed and frozen (faults injected, survived, time until frames
/// flow again, frames lost). CI form: fuzz at scale 1 and a 3-minute soak (under 10 minutes with the build done);
/// <c>--long</c>: fuzz at 20x and a 30-minute soak; <c>--quick</c>: a 60-second soak to check the suite works.
/// </summary>
public sealed class ReliabilityBench : IBenchSuite
{
    public string Name => "reliability";

    public string Description => "faults survived and recovery time (soak), fuzz inputs and crashes, datagram attacks accepted";

    public int Run(BenchReport report, BenchOptions options)
    {
        var scale = options.Long ? 20 : 1;
        var soak = options.Quick ? TimeSpan.FromSeconds(60) : options.Long ? TimeSpan.FromMinutes(30) : TimeSpan.FromMinutes(3);
        report.Note("This suite counts outcomes (no speed ratios): every figure below was measured in this run, by the commands named beside it.");
        var rc = Fuzz(report, scale);
        CoverageGuided(report);
        rc = Math.Max(rc, Attack(report, options.Long ? 10 : 1));
        rc = Math.Max(rc, Faults(report, soak));
        var overload = options.Quick ? TimeSpan.FromSeconds(30) : options.Long ? TimeSpan.FromMinutes(5) : TimeSpan.FromSeconds(60);
        rc = Math.Max(rc, Overload(report, 2, overload));
        if (!options.Quick)
        {
            // Twice what two cores can do even at the lowest rung: reported, not gated (see Overload).
            Overload(report, 4, overload);
        }
        return rc;
    }

    /// <summary>Runs the [*Fuzz*] tests of every test project (they are the CI fuzzing) and tabulates their tallies.</summary>
    private static int Fuzz(BenchReport report, int scale)
    {
        var tally = Path.Combine(Path.GetTempPath(), $"aqs-fuzz-tally-{Environment.ProcessId}.tsv");
        File.Delete(tally);
        var projects = Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "tests"), "*.Tests.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Contains("/bin/", StringComparison.Ordinal) && !p.Contains("/obj/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        var failedProjects = new List<string>();
        var watch = Stopwatch.StartNew();
        foreach (var project in projects)
        {
            var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryPaths.Root };
            foreach (var a in new[] { "test", project, "-c", "Release", "--no-build", "--nologo", "-v", "q", "--filter", "FullyQualifiedName~Fuzz" })
            {
                info.ArgumentList.Add(a);
            }
            info.Environment["AQS_FUZZ_TALLY"] = tally;
            info.Environment["AQS_FUZZ_SCALE"] = scale.ToString(CultureInfo.InvariantCulture);
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            Console.Write(output.Result);
            // dotnet test exits non-zero for a failed test; "No test matches" is not a failure.
            if (process.ExitCode != 0 && !output.Result.Contains("No test matches", StringComparison.Ordinal))
            {
                failedProjects.Add(Path.GetFileNameWithoutExtension(project));
                Console.Error.Write(error.Result);
            }
        }
        var rows = File.Exists(tally)
            ? File.ReadAllLines(tally).Select(l => l.Split('\t')).Where(f => f.Length == 3).ToList()
            : [];
        report.Section("Bad input: fixed-seed fuzzing",
            $"`dotnet test tests/<project> --filter FullyQualifiedName~Fuzz` on every test project with AQS_FUZZ_SCALE={scale} " +
            $"(CsCheck generators from fixed seeds, tests/Infrastructure/FixedSeedFuzz.cs); {watch.Elapsed.TotalSeconds:F0} s. " +
            "Refused = a one-line error or a counted drop; a crash is anything else (an unexpected exception, a second line, a stack trace, an accepted forgery), which fails its test.");
        report.Table("target", "inputs", "refused", "not refused (valid input)", "crashes");
        foreach (var f in rows)
        {
            var inputs = long.Parse(f[1], CultureInfo.InvariantCulture);
            var refused = long.Parse(f[2], CultureInfo.InvariantCulture);
            report.Row(f[0], inputs, refused, inputs - refused, 0);
        }
        var total = rows.Sum(f => long.Parse(f[1], CultureInfo.InvariantCulture));
        report.Row("**all**", total, rows.Sum(f => long.Parse(f[2], CultureInfo.InvariantCulture)), "", failedProjects.Count == 0 ? "0" : $"failing: {string.Join(", ", failedProjects)}");
        var attacks = rows.Where(f => f[0].StartsWith("datagram", StringComparison.Ordinal)).ToList();
        report.Note($"Datagram attacks (random, forged fields, strangers with another key or session, replays): " +
            $"{attacks.Sum(f => long.Parse(f[2], CultureInfo.InvariantCulture))} fuzz inputs with an attack in them (one datagram each, or for strangers and replays a sequence of up to 60 datagrams) " +
            "fed to a real DatagramSealer receiver: 0 attack datagrams accepted, each counted once in its drop counter, every genuine one accepted (the tests assert all three). " +
            "Control-plane messages without the session's CURVE keys: refused at the handshake (tests/shared/Contracts/ControlPlaneSecurityTests, tests/orchestration/Control/CommandSocketSecurityTests).");
        File.Delete(tally);
        return failedProjects.Count == 0 && rows.Count > 0 ? 0 : 1;
    }

    /// <summary>
    /// The last offline afl++ runs on this machine (tests/fuzz/run-afl.sh leaves /tmp/aqs-afl-TARGET/): their stats as
    /// afl wrote them. Nothing is run here; a target never fuzzed says so.
    /// </summary>
    private static void CoverageGuided(BenchReport report)
    {
        report.Section("Bad input: coverage-guided fuzzing (offline)",
            "`tests/fuzz/run-afl.sh TARGET SECONDS` (SharpFuzz-instrumented kernel assembly under Debian's afl++; README \"Fuzzing offline\"). " +
            "Figures from afl's own fuzzer_stats of the last run on this machine.");
        report.Table("target", "run time (s)", "execs", "execs/s", "corpus", "crashes", "hangs", "finished");
        foreach (var target in new[] { "y4m", "datagram" })
        {
            var stats = Path.Combine(Path.GetTempPath(), $"aqs-afl-{target}", "findings", "default", "fuzzer_stats");
            if (!File.Exists(stats))
            {
                report.Row(target, "not run", "", "", "", "", "", "");
                continue;
            }
            var f = File.ReadAllLines(stats).Select(l => l.Split(':', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0].Trim(), p => p[1].Trim());
            string V(string key) => f.GetValueOrDefault(key, "n/a");
            report.Row(target, V("run_time"), V("execs_done"), V("execs_per_sec"), V("corpus_count"), V("saved_crashes"), V("saved_hangs"),
                long.TryParse(V("last_update"), CultureInfo.InvariantCulture, out var at)
                    ? DateTimeOffset.FromUnixTimeSeconds(at).UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "n/a");
        }
    }

    /// <summary>A live run with an attacker on the host (<see cref="AttackRun"/>, as AttackRunTests does it): sent, accepted, counted.</summary>
    private static int Attack(BenchReport report, int scale)
    {
        var runs = Path.Combine(Path.GetTempPath(), "aqs-bench-attack-" + Environment.ProcessId);
        Directory.CreateDirectory(runs);
        var verdict = new AttackRun(new AttackOptions
        {
            Duration = TimeSpan.FromSeconds(22 + 5 * (scale - 1)),
            DatagramsPerKind = 300 * scale,
            CommandMessages = 40 * scale,
            RunsDirectory = runs,
        }, TextWriter.Null).Execute(CancellationToken.None);
        var run = verdict.Run;
        double N(string key) => run.Number(KernelKind.Network, key) ?? double.NaN;
        var sent = verdict.DatagramsSent;
        report.Section("Security: an attacker during a live run",
            "`AttackRun` (tests/orchestration/Attack/AttackRunTests): a real `aqs run` (320x180 @ 30 fps, clean loopback); once frames flow, the attacker " +
            $"records {verdict.GenuineDatagramsCaptured} genuine datagrams off loopback (AF_PACKET) for 3 s, then sends forged (own key, fresh sequences), " +
            "replayed (the recorded ones) and stranger (random bytes, other sessions) datagrams to Kernel A's receive port, and forged or garbage messages " +
            "to the launcher's command socket and raw bytes to every role's publisher port. Counted = Kernel A's AQS-SUMMARY drop counter for that reason.");
        report.Table("attack", "sent", "accepted", "counted", "counted as");
        var strangers = N("datagrams_dropped_malformed") + N("datagrams_dropped_version") + N("datagrams_dropped_wrong_session");
        report.Row("forged datagrams", sent[DatagramAttackKind.Forged], (long)Math.Max(0, sent[DatagramAttackKind.Forged] - N("datagrams_dropped_bad_tag")), N("datagrams_dropped_bad_tag"), "bad tag");
        report.Row("replayed datagrams", sent[DatagramAttackKind.Replayed], (long)Math.Max(0, sent[DatagramAttackKind.Replayed] - N("datagrams_dropped_replayed")), N("datagrams_dropped_replayed"), "replayed");
        report.Row("stranger datagrams", sent[DatagramAttackKind.Stranger], (long)Math.Max(0, sent[DatagramAttackKind.Stranger] - strangers), strangers, "malformed / version / other session");
        report.Row("command-socket messages", verdict.CommandMessagesSent, verdict.CommandMessagesAnsweredOk, verdict.CommandsRefusedByLauncher, "refused in one line (not a command)");
        report.Row("garbage to publisher ports (connections)", verdict.PublisherGarbageConnections, 0, "n/a", "closed by NetMQ at the ZMTP greeting (not counted by AQS)");
        var ok = verdict.Problem is null && run.Succeeded && run.Restarts.Count == 0
            && N("datagrams_dropped") == verdict.DatagramsSentTotal && verdict.CommandMessagesAnsweredOk == 0
            && N("frames_lost") == 0 && N("keyframe_requests") == 0 && run.Number(KernelKind.Display, "decode_errors") == 0;
        report.Note($"The stream: frames sent {N("frames_sent")}, received {N("frames_received")}, lost {N("frames_lost")}; keyframe requests {N("keyframe_requests")}; " +
            $"Kernel D decode errors {run.Number(KernelKind.Display, "decode_errors")}, frames displayed {run.Number(KernelKind.Display, "frames_displayed")}; restarts {run.Restarts.Count}. " +
            $"Verdict: {(ok ? "passed" : "FAILED" + (verdict.Problem is null ? "" : ": " + verdict.Problem))}.");
        try
        {
            Directory.Delete(runs, recursive: true);
        }
        catch (IOException)
        {
        }
        return ok ? 0 : 1;
    }

    /// <summary>A soak (<see cref="SoakRun"/>, the same as <c>aqs soak</c>): faults injected, restarts, recovery, loss.</summary>
    private static int Faults(BenchReport report, TimeSpan duration)
    {
        var runs = Path.Combine(Path.GetTempPath(), "aqs-bench-reliability-" + Environment.ProcessId);
        Directory.CreateDirectory(runs);
        var verdict = new SoakRun(new SoakOptions
        {
            Duration = duration,
            FaultEvery = TimeSpan.FromSeconds(20),
            Seed = 16,
            RunsDirectory = runs,
            Impairments = Impairments.Rotation(),
        }, TextWriter.Null).Execute(CancellationToken.None);
        var restarts = verdict.Run.Restarts;
        report.Section("Faults: a soak of the real pipeline",
            $"`SoakRun` as `orchestration/aqs soak --duration {duration.TotalMinutes:0.#}m --fault-every 20s` does it (seed 16, rotating impairments, 320x180 @ 30 fps synthetic): " +
            "every 20 s a random kernel gets SIGKILL or SIGSTOP (the supervisor finds the frozen one hung and kills it); the supervisor restarts it. " +
            "Recovery = from the restart until frames are displayed again.");
        report.Table("kernel", "fault", "injected", "restarts", "recovered", "recovery p50 (s)", "recovery p95 (s)", "failure to flowing p95 (s)", "frames lost");
        foreach (var group in verdict.Faults.GroupBy(f => (f.Kind, f.Action)).OrderBy(g => g.Key.Kind.ToString(), StringComparer.Ordinal))
        {
            var mine = restarts.Where(r => r.Kind == group.Key.Kind && group.Any(f => Math.Abs(f.AtS - r.FailedAtS) < 15)).ToList();
            var recovery = mine.Where(r => r.Recovered && r.RestartedAtS is not null).Select(r => r.RecoveredAtS!.Value - r.RestartedAtS!.Value).Order().ToList();
            var whole = mine.Where(r => r.Recovered).Select(r => r.RecoveredAtS!.Value - r.FailedAtS).Order().ToList();
            report.Row(group.Key.Kind.ToString(), group.Key.Action, group.Count(), mine.Count, mine.Count(r => r.Recovered),
                P(recovery, 0.5), P(recovery, 0.95), P(whole, 0.95), mine.Sum(r => r.FramesLost ?? 0));
        }
        var allRecovery = restarts.Where(r => r.Recovered && r.RestartedAtS is not null).Select(r => r.RecoveredAtS!.Value - r.RestartedAtS!.Value).Order().ToList();
        report.Row("**all**", "", verdict.Faults.Count, restarts.Count, restarts.Count(r => r.Recovered), P(allRecovery, 0.5), P(allRecovery, 0.95), "", restarts.Sum(r => r.FramesLost ?? 0));
        report.Note($"Soak verdict: {(verdict.Passed ? "passed" : "FAILED: " + string.Join("; ", verdict.Problems))}. Figures: {verdict.Figures.ToJsonString()}");
        try
        {
            Directory.Delete(runs, recursive: true);
        }
        catch (IOException)
        {
        }
        return verdict.Passed ? 0 : 1;
    }

    /// <summary>More streams than 2 cores encode in real time (<see cref="OverloadRun"/>, as OverloadRunTests does it with 3).</summary>
    private static int Overload(BenchReport report, int streamCount, TimeSpan duration)
    {
        var runs = Path.Combine(Path.GetTempPath(), "aqs-bench-overload-" + Environment.ProcessId);
        Directory.CreateDirectory(runs);
        var options = new OverloadOptions { Streams = streamCount, Duration = duration, RunsDirectory = runs };
        var streams = new OverloadRun(options, TextWriter.Null).Execute(CancellationToken.None);
        report.Section($"Overload: {streamCount} streams of 720p60, more than the machine encodes in real time",
            $"`orchestration/aqs run --streams {options.Streams} --size {options.Size} --fps {options.Fps:0} --duration {duration.TotalSeconds:0}s --vmaf off` (quality mode: " +
            "400 ms capture-to-screen budget), through `OverloadRun`. Steps = changes of rung or x264 preset in the stream's decisions.jsonl; down = fewer pixels a second " +
            "or a faster preset. Age = Kernel D's on-screen age p95 per 100 ms window, sampled once a second; settled = the second half of the run. " +
            "Queue depth = the fullest any of the stream's rings (raw, ref, enc, rx) got, as a fraction of its slots.");
        report.Table("stream", "frames displayed", "steps (down)", "first step down at (s)", "last rung", "age p95 whole run (ms)", "age p95 settled (ms)", "queue depth max", "RSS MiB per kernel (first -> max -> last)", "restarts");
        foreach (var s in streams)
        {
            var firstDown = s.Steps.FirstOrDefault(OverloadRun.IsDown);
            var rss = s.Samples.SelectMany(x => x.RssMb ?? []).GroupBy(k => k.Key)
                .Select(g => $"{g.Key.Replace("kernel-", "", StringComparison.Ordinal)} {g.First().Value:F0}->{g.Max(v => v.Value):F0}->{g.Last().Value:F0}");
            report.Row(s.Run.Session, s.Run.Number(KernelKind.Display, "frames_displayed") ?? 0, $"{s.Steps.Count} ({s.StepsDown})",
                firstDown is null ? "none" : firstDown.T.ToString("F1", CultureInfo.InvariantCulture), s.Steps.LastOrDefault()?.To ?? "start rung",
                s.Run.Number(KernelKind.Display, "age_ms_p95")?.ToString("F0", CultureInfo.InvariantCulture) ?? "n/a",
                OverloadRun.Quantile(s.Settled.Select(x => x.LatencyP95Ms ?? double.NaN), 0.95).ToString("F0", CultureInfo.InvariantCulture),
                s.Samples.SelectMany(x => x.RingFill?.Values.AsEnumerable() ?? []).DefaultIfEmpty().Max().ToString("F2", CultureInfo.InvariantCulture),
                string.Join("; ", rss), s.Run.Restarts.Count);
        }
        if (streams.FirstOrDefault() is { } first)
        {
            report.Note($"Over time, {first.Run.Session} (every 5th sample): " + string.Join(" | ", first.Samples.Where((_, i) => i % 5 == 0).Select(x =>
                $"t {x.T:F0} s: age p95 {x.LatencyP95Ms?.ToString("F0", CultureInfo.InvariantCulture) ?? "n/a"} ms, queue {x.RingFill?.Values.DefaultIfEmpty().Max().ToString("F2", CultureInfo.InvariantCulture) ?? "n/a"}, " +
                $"RSS {x.RssMb?.Values.Sum().ToString("F0", CultureInfo.InvariantCulture) ?? "n/a"} MiB, " +
                (x.Width is null ? "no decision yet" : $"{x.Width}x{x.Height}@{x.Fps:0} {x.Preset}"))));
        }
        var degraded = streams.All(s => s.StepsDown > 0);
        var withinBudget = streams.All(s => OverloadRun.Quantile(s.Settled.Select(x => x.LatencyP95Ms ?? double.NaN), 0.95) <= 400);
        report.Note($"Every engine stepped down: {(degraded ? "yes" : "NO")}. Settled on-screen age p95 within the quality mode's 400 ms in every stream: {(withinBudget ? "yes" : "NO")}. " +
            $"Load average during the run: {File.ReadAllText("/proc/loadavg").Split(' ')[0]} (1 min, at the end) on {Environment.ProcessorCount} cores.");
        try
        {
            Directory.Delete(runs, recursive: true);
        }
        catch (IOException)
        {
        }
        // The stepping down is the claim under test; the age is reported against the budget, not gated on a shared machine.
        return degraded ? 0 : 1;
    }

    private static string P(IReadOnlyList<double> sorted, double q) =>
        sorted.Count == 0 ? "n/a" : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)].ToString("F2", CultureInfo.InvariantCulture);
}
