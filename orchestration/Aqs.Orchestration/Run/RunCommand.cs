using System.CommandLine;
using Aqs.Kernel.Display;
using Aqs.Kernel.Encode;
using Aqs.Kernel.Network;
using Aqs.Kernel.Preprocess;
using Aqs.Orchestration.Logging;
using Aqs.Orchestration.Metrics;
using Aqs.Orchestration.Supervision;
using Aqs.Shared.Cli;
using Aqs.Shared.Kernel;

namespace Aqs.Orchestration.Run;

/// <summary>
/// <c>aqs run</c>: the whole pipeline in a fresh session (or N of them), then a summary of what it achieved. Every
/// kernel's own flags are offered here from the kernels' flag tables (<see cref="PreprocessFlags"/>,
/// <see cref="AqsFlags"/>, <see cref="NetworkFlags"/>, <see cref="DisplayFlags"/>) and forwarded as given.
/// </summary>
public static class RunCommand
{
    public static Command Create()
    {
        var duration = new Option<string>("--duration") { Description = "how long to stream, counted from the first encoded frame (10s, 2m, ...)", DefaultValueFactory = _ => "10s" };
        var json = new Option<string?>("--json") { Description = "also write the summary as JSON to this file" };
        var session = new Option<string?>("--session") { Description = "session name (default: a fresh random one); with --streams, the prefix of each stream's" };
        var codec = new Option<string?>("--codec") { Description = "encoder (libx264 default; see aqs kernel encode --list-encoders)" };
        var preset = new Option<string?>("--preset") { Description = "Kernel C: encoder speed preset to start from (default: the mode's)" };
        var threads = new Option<int?>("--threads") { Description = "Kernel C: encoder threads (0 = codec default)" };
        var keyint = new Option<int?>("--keyint") { Description = "Kernel C: frames between keyframes with --aqs off" };
        var quiet = new Option<bool>("--quiet") { Description = "no progress while running (the summary still comes)" };
        var view = new Option<string>("--view") { Description = "auto (dashboard on a terminal, plain lines otherwise), dashboard, plain or none", DefaultValueFactory = _ => "auto" };
        var kernelArgs = new Option<string[]>("--kernel-arg") { Description = "extra argument for one kernel, as KERNEL:ARGS (e.g. encode:--preset=faster)", AllowMultipleArgumentsPerToken = false };
        var runs = new Option<string>("--runs") { Description = "folder where each run's folder (logs, timeline, decisions, summary.json, report.html) goes", DefaultValueFactory = _ => "runs" };
        var noReport = new Option<bool>("--no-report") { Description = "skip report.html and its plots" };
        var web = new Option<int?>("--web") { Description = "serve the live page on this port (0 = any free one), on loopback unless --web-bind says otherwise", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => null, CustomParser = r => r.Tokens.Count == 0 ? 8080 : int.TryParse(r.Tokens[0].Value, out var p) && p is >= 0 and <= 65535 ? p : ParseError(r, "--web: expected a TCP port (0-65535)") };
        var webBind = new Option<string>("--web-bind") { Description = "address the live page listens on", DefaultValueFactory = _ => "127.0.0.1" };
        var metricsPort = new Option<int?>("--metrics-port") { Description = "serve Prometheus metrics at http://127.0.0.1:PORT/metrics" };
        var streams = new Option<int>("--streams") { Description = "run this many independent sessions at once", DefaultValueFactory = _ => 1 };
        var restart = KernelFlags.Toggle("--restart", "restart a kernel that exits or hangs mid-run", true);
        var maxRestarts = new Option<int>("--max-restarts") { Description = "restarts of one kernel within a minute before the run fails", DefaultValueFactory = _ => new SupervisionPolicy().MaxRestartsPerMinute };
        var logLevel = new Option<string>("--log-level") { Description = "launcher log lines on stderr at this level and above: trace, debug, info, warning, error, none", DefaultValueFactory = _ => "warning" };
        var controlBind = new Option<string?>("--control-bind") { Description = "address the control plane binds to (default 127.0.0.1); any other makes CURVE keys (runs/S/control.keys, 0600) that every control socket then requires" };
        var gpu = KernelFlags.Toggle("--gpu", "content analysis (Kernel C) and quality measurement (Kernel D) on a CUDA or OpenCL GPU when one is present", true, auto: true);
        var command = new Command("run", "run the four-kernel pipeline, show it live, and write a report of what it achieved")
        {
            duration, json, session, codec, preset, threads, keyint, quiet, view, kernelArgs, runs, noReport, web, webBind, metricsPort, streams,
            restart, maxRestarts, logLevel, gpu, controlBind,
        };
        var preprocess = new PreprocessFlags();
        var aqs = new AqsFlags();
        var network = new NetworkFlags();
        var display = new DisplayFlags();
        aqs.AddTo(command);
        preprocess.AddForwardedTo(command);
        network.AddForwardedTo(command);
        display.AddForwardedTo(command);
        command.SetAction(parse =>
        {
            var encodeArgs = new List<string>(aqs.Forward(parse));
            AddIfGiven(encodeArgs, parse, preset);
            AddIfGiven(encodeArgs, parse, threads);
            AddIfGiven(encodeArgs, parse, keyint);
            if (parse.GetResult(gpu) is { Implicit: false })
            {
                encodeArgs.AddRange(["--gpu", parse.GetValue(gpu) ? "auto" : "off"]);
            }
            var count = parse.GetValue(streams);
            if (count is < 1 or > 64)
            {
                throw new UserFacingException($"--streams: must be 1 to 64, got {count}", CommandLineHost.ExitUsage);
            }
            var options = new RunOptions
            {
                Duration = DurationParser.Parse(parse.GetValue(duration)!, "--duration"),
                Input = parse.GetValue(preprocess.Input)!,
                JsonPath = parse.GetValue(json),
                Session = parse.GetValue(session),
                Network = parse.GetValue(network.Net),
                EncodeArguments = encodeArgs,
                PreprocessArguments = preprocess.Forward(parse).ToList() is var pre ? WithoutInput(pre) : [],
                NetworkArguments = WithoutNet(network.Forward(parse)),
                DisplayArguments = parse.GetResult(gpu) is { Implicit: false }
                    ? [.. display.Forward(parse), "--gpu", parse.GetValue(gpu) ? "auto" : "off"]
                    : display.Forward(parse),
                Codec = parse.GetValue(codec),
                Quiet = parse.GetValue(quiet),
                View = ParseView(parse.GetValue(view)!),
                KernelArguments = parse.GetValue(kernelArgs) ?? [],
                RunsDirectory = parse.GetValue(runs)!,
                Report = !parse.GetValue(noReport),
                WebPort = parse.GetValue(web),
                WebBind = parse.GetValue(webBind)!,
                Supervision = new SupervisionPolicy { Restart = parse.GetValue(restart), MaxRestartsPerMinute = parse.GetValue(maxRestarts) },
                ControlBind = parse.GetValue(controlBind) is { } bindTo && !System.Net.IPAddress.TryParse(bindTo, out _)
                    ? throw new UserFacingException($"--control-bind: '{bindTo}' is not an IP address", CommandLineHost.ExitUsage)
                    : parse.GetValue(controlBind),
            };
            // synthetic[:options], capture (x11grab:, v4l2:) and URLs are not files; anything else must exist.
            if (!options.Input.Contains(':', StringComparison.Ordinal) && options.Input != "synthetic" && !File.Exists(options.Input))
            {
                throw new UserFacingException($"--input: {options.Input} does not exist", CommandLineHost.ExitUsage);
            }
            if (options.Session is { } name)
            {
                Aqs.Shared.Rings.RingNames.ValidateSession(name);
            }
            using var logs = RunLog.Create(RunLog.ParseLevel(parse.GetValue(logLevel)!));
            using var metrics = parse.GetValue(metricsPort) is { } port ? new RunMetrics(port) : null;
            using var lifetime = new KernelLifetime();
            if (count > 1)
            {
                var multi = new MultiStreamRun(options, count, Console.Error, logs);
                if (metrics is not null)
                {
                    multi.Created += metrics.Attach;
                }
                var results = multi.Execute(lifetime.Stopping);
                foreach (var result in results)
                {
                    Console.Out.Write(result.Render());
                }
                Console.Out.Write(MultiStreamRun.Table(results));
                if (options.JsonPath is { } multiPath)
                {
                    File.WriteAllText(multiPath, MultiStreamRun.ToJson(results));
                }
                return results.All(r => r.Succeeded) ? 0 : 1;
            }
            var run = new PipelineRun(options, Console.Error, logs);
            metrics?.Attach(run);
            var single = run.Execute(lifetime.Stopping);
            Console.Out.Write(single.Render());
            if (options.JsonPath is { } path)
            {
                File.WriteAllText(path, single.ToJson());
            }
            return single.Succeeded ? 0 : 1;
        });
        return command;
    }

    private static int ParseError(System.CommandLine.Parsing.ArgumentResult result, string message)
    {
        result.AddError(message);
        return 0;
    }

    private static void AddIfGiven<T>(List<string> args, ParseResult parse, Option<T> option)
    {
        if (parse.GetResult(option) is { Implicit: false } result)
        {
            args.Add(option.Name);
            args.AddRange(result.Tokens.Select(t => t.Value));
        }
    }

    // The launcher passes --input and --net itself (RunOptions.Input/Network); the rest goes as given.
    private static IReadOnlyList<string> WithoutInput(List<string> args) => Without(args, "--input");

    private static IReadOnlyList<string> WithoutNet(IReadOnlyList<string> args) => Without(args, "--net");

    private static IReadOnlyList<string> Without(IReadOnlyList<string> args, string flag)
    {
        var result = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == flag)
            {
                i++;
                continue;
            }
            result.Add(args[i]);
        }
        return result;
    }

    private static RunView ParseView(string text) => text switch
    {
        "auto" => RunView.Auto,
        "dashboard" => RunView.Dashboard,
        "plain" => RunView.Plain,
        "none" => RunView.None,
        _ => throw new UserFacingException($"--view: '{text}' is not auto, dashboard, plain or none", CommandLineHost.ExitUsage),
    };
}
