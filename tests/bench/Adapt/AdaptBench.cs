using System.Globalization;
using System.Text.Json;
using Aqs.Bench.Harness;
using Aqs.Kernel.Network.Emulation;
using Aqs.Orchestration;
using Aqs.Orchestration.Run;

namespace Aqs.Bench.Adapt;

/// <summary>
/// The whole pipeline twice per case, in the same invocation on the same machine: basic (<c>--aqs off</c>: one rung,
/// 4 Mbit/s fixed, as before the engine) and AQS (the default quality mode), over the same source and the same
/// emulated link (Mahimahi traces with 20 ms each way, generated step and cliff traces), then 4K60 on a clean link.
/// What is compared is what Kernel D measured as a viewer sees it: the age of the picture on screen at every refresh
/// (freezes count for as long as they last), getStats freezes, delivered VMAF and SSIM of every presented picture,
/// and the bitrate and time above capacity Kernel A saw. Where AQS loses, the table says so.
/// </summary>
public sealed class AdaptBench : IBenchSuite
{
    private static readonly string[] Basic = ["--aqs", "off", "--bitrate", "4000000"];

    public string Name => "adapt";

    public string Description => "basic (--aqs off) vs AQS over cellular and generated traces and 4K60: on-screen latency, freezes, VMAF, SSIM, bitrate";

    public int Run(BenchReport report, BenchOptions options)
    {
        var seconds = options.Quick ? 12 : 60;
        var work = Directory.CreateTempSubdirectory("aqs-adapt-");
        var traces = Traces(options, work.FullName, seconds);
        var sources = Sources(options);
        report.Section("Setup",
            $"Each case runs `aqs run --duration {seconds}s` twice, basic then AQS, with `--net trace:FILE,delay:20ms` (the trace starts with the stream). " +
            $"Basic: `{string.Join(' ', Basic)}`. AQS: defaults (quality mode). Load average at start: {LoadAverage()}. " +
            "Latency is Kernel D's on-screen age sampled at every 60 Hz refresh; VMAF needs the vmaf_v0.6.1 model (../shared/data), else n/a. " +
            (options.DataDirectory is null ? "../shared/data is absent: only the generated traces and the synthetic source run." : ""));
        var goals = new List<(string Case, string Goal, bool Met, string Detail)>();
        string? decisionExcerpt = null;
        foreach (var (source, input, size, fps) in sources)
        {
            foreach (var (traceName, traceFile) in traces)
            {
                var name = $"{traceName}, {source}";
                var net = $"trace:{traceFile},delay:20ms";
                var basic = Measure(input, size, fps, net, Basic, seconds, out _);
                var aqs = Measure(input, size, fps, net, [], seconds, out var logs);
                Table(report, name, basic, aqs);
                goals.AddRange(Goals(name, traceName, basic, aqs));
                if (traceName.StartsWith("ATT", StringComparison.Ordinal) && decisionExcerpt is null)
                {
                    decisionExcerpt = Excerpt(Path.Combine(logs, "decisions.jsonl"));
                }
            }
        }
        if (!options.Quick)
        {
            // 4K60 on the 2 cores: can the encoder hold the source rate at all?
            var basic = Measure("synthetic", "3840x2160", 60, null, Basic, seconds, out _);
            var aqs = Measure("synthetic", "3840x2160", 60, null, [], seconds, out _);
            Table(report, "4K60 synthetic, clean link", basic, aqs);
            var basicFps = basic.Fps;
            var aqsFps = aqs.Fps;
            goals.Add(("4K60", "sustained at the source rate (≥ 57 fps) where basic is not", aqsFps >= 57 && !(basicFps >= 57),
                $"basic {Format(basicFps)} fps, AQS {Format(aqsFps)} fps"));
        }
        report.Section("Goals", "The issue's goals, each judged from the rows above.");
        report.Table("case", "goal", "met", "figures");
        foreach (var (c, goal, met, detail) in goals)
        {
            report.Row(c, goal, met ? "yes" : "**no**", detail);
        }
        if (decisionExcerpt is not null)
        {
            report.Section("Decision log excerpt (AQS, ATT-LTE trace)", "The first decisions that changed something, as Kernel C wrote them (`decisions.jsonl`, inputs trimmed):");
            report.Note("```\n" + decisionExcerpt + "```");
        }
        report.Note($"Load average at end: {LoadAverage()}.");
        work.Delete(recursive: true);
        return 0;
    }

    private sealed record Figures(
        double? AgeP50, double? AgeP95, double? AgeP99, double? Freezes, double? FreezeMs, double? VmafMean, double? VmafP5,
        double? SsimDb, double? MediaMbps, double? AboveCapacityShare, double? CapacityMbps, double Fps, bool Succeeded);

    private static Figures Measure(string input, string? size, double? fps, string? net, string[] encode, int seconds, out string logs)
    {
        var run = new PipelineRun(new RunOptions
        {
            Duration = TimeSpan.FromSeconds(seconds),
            Input = input,
            Size = size,
            Fps = fps,
            Network = net,
            EncodeArguments = encode,
            Quiet = true,
        }, TextWriter.Null);
        var r = run.Execute(CancellationToken.None);
        logs = run.LogDirectory;
        double? Num(KernelKind k, string key) => r.Number(k, key);
        var encodedBytes = Num(KernelKind.Encode, "bytes");
        var presented = Num(KernelKind.Display, "frames_presented") ?? 0;
        var above = Num(KernelKind.Network, "seconds_above_capacity");
        var measured = Num(KernelKind.Network, "seconds_with_capacity");
        Console.WriteLine($"  {(encode.Length == 0 ? "AQS  " : "basic")} {input} {net}: {r.Render().Split('\n').FirstOrDefault(l => l.Contains("viewer", StringComparison.Ordinal))?.Trim()}");
        return new Figures(
            Num(KernelKind.Display, "age_ms_p50"), Num(KernelKind.Display, "age_ms_p95"), Num(KernelKind.Display, "age_ms_p99"),
            Num(KernelKind.Display, "freezes"), Num(KernelKind.Display, "freeze_ms"),
            Num(KernelKind.Display, "vmaf_mean"), Num(KernelKind.Display, "vmaf_p5"), Num(KernelKind.Display, "ssim_db_mean"),
            encodedBytes is { } b ? b * 8 / seconds / 1e6 : null,
            above is { } a && measured is > 0 ? a / measured : null,
            Num(KernelKind.Network, "capacity_bps_mean") is { } c ? c / 1e6 : null,
            presented / seconds,
            r.Succeeded);
    }

    private static void Table(BenchReport report, string name, Figures basic, Figures aqs)
    {
        report.Section(name, basic.Succeeded && aqs.Succeeded ? null : $"A run did not end cleanly (basic {basic.Succeeded}, AQS {aqs.Succeeded}): its figures are what the kernels reported.");
        report.Table("figure", "basic", "AQS", "AQS / basic");
        Row(report, "on-screen age p50, ms", basic.AgeP50, aqs.AgeP50);
        Row(report, "on-screen age p95, ms", basic.AgeP95, aqs.AgeP95);
        Row(report, "on-screen age p99, ms", basic.AgeP99, aqs.AgeP99);
        Row(report, "freezes", basic.Freezes, aqs.Freezes);
        Row(report, "freeze time, ms", basic.FreezeMs, aqs.FreezeMs);
        Row(report, "VMAF mean", basic.VmafMean, aqs.VmafMean);
        Row(report, "VMAF p5", basic.VmafP5, aqs.VmafP5);
        Row(report, "SSIM, dB (mean of presented pictures)", basic.SsimDb, aqs.SsimDb);
        Row(report, "media bitrate, Mbit/s", basic.MediaMbps, aqs.MediaMbps);
        Row(report, "trace capacity (mean), Mbit/s", basic.CapacityMbps, aqs.CapacityMbps);
        Row(report, "time sending above capacity, share", basic.AboveCapacityShare, aqs.AboveCapacityShare);
        Row(report, "presented fps", basic.Fps, aqs.Fps);
    }

    private static void Row(BenchReport report, string figure, double? basic, double? aqs) =>
        report.Row(figure, Format(basic), Format(aqs), basic is { } b && aqs is { } a && b != 0 ? Format(a / b) : "n/a");

    private static IEnumerable<(string, string, bool, string)> Goals(string name, string trace, Figures basic, Figures aqs)
    {
        if (trace.StartsWith("ATT", StringComparison.Ordinal))
        {
            yield return (name, "on-screen age p95 ≤ 300 ms", aqs.AgeP95 <= 300, $"AQS p95 {Format(aqs.AgeP95)} ms");
            yield return (name, "SSIM dB not below basic", aqs.SsimDb >= basic.SsimDb, $"basic {Format(basic.SsimDb)}, AQS {Format(aqs.SsimDb)} dB");
        }
        yield return (name, "p95 ≤ 0.5 × basic", aqs.AgeP95 <= 0.5 * basic.AgeP95, $"basic {Format(basic.AgeP95)}, AQS {Format(aqs.AgeP95)} ms");
        yield return (name, "freezes ≤ 1/10 of basic", aqs.Freezes <= basic.Freezes / 10, $"basic {Format(basic.Freezes)}, AQS {Format(aqs.Freezes)}");
        if (basic.VmafMean is { } bv && aqs.VmafMean is { } av)
        {
            yield return (name, "VMAF mean ≥ basic + 5", av >= bv + 5, $"basic {Format(bv)}, AQS {Format(av)}");
        }
        if (basic.VmafP5 is { } b5 && aqs.VmafP5 is { } a5)
        {
            yield return (name, "VMAF p5 ≥ basic + 10", a5 >= b5 + 10, $"basic {Format(b5)}, AQS {Format(a5)}");
        }
    }

    /// <summary>Mahimahi traces from ../shared/data (when present) and two generated ones, written out for Kernel A.</summary>
    private static List<(string Name, string File)> Traces(BenchOptions options, string work, int seconds)
    {
        var traces = new List<(string, string)>();
        string Write(string name, MahimahiTrace trace)
        {
            var path = Path.Combine(work, name + ".trace");
            using var writer = new StreamWriter(path);
            trace.WriteTo(writer);
            return path;
        }
        var ms = seconds * 1000;
        traces.Add(("step 20→3 Mbit/s", Write("step", TraceGenerator.Step(20e6, 3e6, ms / 3, ms))));
        if (options.Quick)
        {
            return traces;
        }
        traces.Add(("cliff 8→0.5→8 Mbit/s", Write("cliff", TraceGenerator.FromRate("cliff", ms, t => t >= ms / 3 && t < ms / 2 ? 0.5e6 : 8e6))));
        if (options.DataDirectory is { } data)
        {
            foreach (var name in new[] { "ATT-LTE-driving-2016.down", "TMobile-LTE-driving.down", "Verizon-LTE-short.down", "TMobile-UMTS-driving.down" })
            {
                var path = Path.Combine(data, "traces", name);
                if (File.Exists(path))
                {
                    traces.Insert(traces.Count, (name, path));
                }
                else
                {
                    Console.WriteLine($"aqs bench adapt: {path} absent; that trace is skipped");
                }
            }
        }
        return traces;
    }

    /// <summary>The synthetic source with motion changes, and a real clip looped when ../shared/data has it.</summary>
    private static List<(string Name, string Input, string? Size, double? Fps)> Sources(BenchOptions options)
    {
        var sources = new List<(string, string, string?, double?)>
        {
            ("synthetic 720p60, calm → fast pan → cut", "synthetic:script=0s:calm;15s:pan fast;30s:cut;45s:calm", "1280x720", 60),
        };
        if (!options.Quick && options.DataDirectory is { } data)
        {
            var clip = Path.Combine(data, "clips", "bigbuckbunny.mp4");
            if (File.Exists(clip))
            {
                sources.Add(("bigbuckbunny 720p25 looped", clip, null, null));
            }
        }
        return sources;
    }

    private static string Excerpt(string decisions)
    {
        if (!File.Exists(decisions))
        {
            return "(no decision log)\n";
        }
        var lines = new List<string>();
        foreach (var line in File.ReadLines(decisions))
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var reason = root.GetProperty("reason").GetString();
            if (reason is null or "steady")
            {
                continue;
            }
            var inputs = root.GetProperty("inputs");
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"t={root.GetProperty("t").GetDouble():F2}s {root.GetProperty("action").GetString()} {root.GetProperty("rung").GetString()} " +
                $"{root.GetProperty("bitrate_bps").GetDouble() / 1e6:F2} Mbit/s | est {Mbps(inputs, "estimate_bps")} del {Mbps(inputs, "delivery_bps")} " +
                $"cap {Mbps(inputs, "capacity_bps")} q {Num(inputs, "queue_now_ms")} ms | {reason}"));
            if (lines.Count == 25)
            {
                break;
            }
        }
        return string.Join('\n', lines) + "\n";
    }

    private static string Mbps(JsonElement o, string key) =>
        o.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? (v.GetDouble() / 1e6).ToString("F2", CultureInfo.InvariantCulture) : "n/a";

    private static string Num(JsonElement o, string key) =>
        o.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble().ToString("F0", CultureInfo.InvariantCulture) : "n/a";

    private static string Format(double? value) =>
        value is { } v && double.IsFinite(v) ? v.ToString(Math.Abs(v) >= 100 ? "F0" : Math.Abs(v) >= 10 ? "F1" : "F2", CultureInfo.InvariantCulture) : "n/a";

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "n/a";
        }
    }
}
