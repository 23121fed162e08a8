using System.CommandLine;
using Aqs.Orchestration.Logging;
using Aqs.Shared.Cli;
using Aqs.Shared.Kernel;

namespace Aqs.Orchestration.Soak;

/// <summary><c>aqs soak --duration 30m</c>.</summary>
public static class SoakCommand
{
    public static Command Create()
    {
        var duration = new Option<string>("--duration") { Description = "how long to stream", DefaultValueFactory = _ => "30m" };
        var faultEvery = new Option<string>("--fault-every") { Description = "kill (SIGKILL) or freeze (SIGSTOP) a random kernel this often", DefaultValueFactory = _ => "30s" };
        var seed = new Option<int>("--seed") { Description = "which kernels are hit, and how", DefaultValueFactory = _ => 1 };
        var runs = new Option<string>("--runs") { Description = "folder for the soak's run folder", DefaultValueFactory = _ => "runs" };
        var json = new Option<string?>("--json") { Description = "also write the verdict and figures as JSON here" };
        var logLevel = new Option<string>("--log-level") { Description = "launcher log lines at this level and above", DefaultValueFactory = _ => "information" };
        var command = new Command("soak", "the full pipeline for a long time under rotating impairments, kernels killed and frozen at random; ends with a verdict")
        {
            duration, faultEvery, seed, runs, json, logLevel,
        };
        command.SetAction(parse =>
        {
            var options = new SoakOptions
            {
                Duration = DurationParser.Parse(parse.GetValue(duration)!, "--duration"),
                FaultEvery = DurationParser.Parse(parse.GetValue(faultEvery)!, "--fault-every"),
                Seed = parse.GetValue(seed),
                RunsDirectory = parse.GetValue(runs)!,
                Impairments = Impairments.Rotation(),
            };
            if (options.Duration < TimeSpan.FromSeconds(30))
            {
                throw new UserFacingException("--duration: a soak needs at least 30s", CommandLineHost.ExitUsage);
            }
            using var logs = RunLog.Create(RunLog.ParseLevel(parse.GetValue(logLevel)!));
            using var lifetime = new KernelLifetime();
            var verdict = new SoakRun(options, Console.Error, logs).Execute(lifetime.Stopping);
            Console.Out.Write(verdict.Render());
            if (parse.GetValue(json) is { } path)
            {
                verdict.Figures["passed"] = verdict.Passed;
                verdict.Figures["problems"] = new System.Text.Json.Nodes.JsonArray(verdict.Problems.Select(p => (System.Text.Json.Nodes.JsonNode)p).ToArray());
                File.WriteAllText(path, verdict.Figures.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
            }
            return verdict.Passed ? 0 : 1;
        });
        return command;
    }
}

/// <summary>The impairments a soak rotates Kernel A through: loss, bursts, delay and jitter, and the recorded traces where they are.</summary>
public static class Impairments
{
    public static IReadOnlyList<string?> Rotation()
    {
        var rotation = new List<string?> { null, "loss:2%", "delay:40ms,jitter:10ms", "loss:3%,burst:4" };
        if (TracesDirectory() is { } traces)
        {
            foreach (var name in new[] { "Verizon-LTE-short.down", "TMobile-LTE-short.down" })
            {
                var file = Path.Combine(traces, name);
                if (File.Exists(file))
                {
                    rotation.Insert(rotation.Count / 2, $"trace:{file}");
                }
            }
        }
        return rotation;
    }

    /// <summary>$AQS_SHARED_DATA/traces, else ../shared/data/traces beside the repository (found upwards from the program).</summary>
    public static string? TracesDirectory()
    {
        if (Environment.GetEnvironmentVariable("AQS_SHARED_DATA") is { Length: > 0 } data)
        {
            var traces = Path.Combine(data, "traces");
            return Directory.Exists(traces) ? traces : null;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Aqs.Quad.sln")))
            {
                var traces = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "traces"));
                return Directory.Exists(traces) ? traces : null;
            }
        }
        return null;
    }
}
