using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Aqs.Orchestration.Live;
using Microsoft.Extensions.Logging;

namespace Aqs.Orchestration.Run;

/// <summary>
/// <c>aqs run --streams N</c>: N independent sessions at once, each with its own kernels, rings, control plane and
/// run folder; then each session's summary and a table of all of them with the total (the seed's multi-stream table),
/// CPU per stream included.
/// </summary>
public sealed class MultiStreamRun
{
    private readonly RunOptions _options;
    private readonly int _streams;
    private readonly TextWriter _progress;
    private readonly ILoggerFactory? _logs;

    public MultiStreamRun(RunOptions options, int streams, TextWriter progress, ILoggerFactory? logs = null)
    {
        _options = options;
        _streams = streams;
        _progress = progress;
        _logs = logs;
    }

    /// <summary>Raised for each session's run before it starts (metrics attach here).</summary>
    public event Action<PipelineRun>? Created;

    public IReadOnlyList<RunResult> Execute(CancellationToken cancel)
    {
        var prefix = _options.Session ?? PipelineRun.NewSessionName();
        var runs = Enumerable.Range(1, _streams)
            .Select(i => new PipelineRun(_options with { Session = $"{prefix}-s{i}", View = RunView.None, Quiet = true, JsonPath = null, WebPort = null }, TextWriter.Null, _logs))
            .ToList();
        foreach (var run in runs)
        {
            Created?.Invoke(run);
            if (_options.EffectiveView != RunView.None)
            {
                var session = run.Session;
                run.Telemetry.Sampled += s =>
                {
                    lock (_progress)
                    {
                        _progress.WriteLine($"aqs run [{session}]: {PlainView.Line(s)}");
                    }
                };
            }
        }
        _progress.WriteLine($"aqs run: {_streams} streams ({string.Join(", ", runs.Select(r => r.Session))}), {_options.Duration.TotalSeconds:F0} s each");
        var tasks = runs.Select(run => Task.Factory.StartNew(() => run.Execute(cancel), TaskCreationOptions.LongRunning)).ToArray();
        Task.WaitAll(tasks);
        return tasks.Select(t => t.Result).ToList();
    }

    /// <summary>One row per stream and a total: frames, rate, bitrate, latency, quality, CPU.</summary>
    public static string Table(IReadOnlyList<RunResult> results)
    {
        var b = new StringBuilder();
        b.AppendLine("| stream | displayed | fps | Mbit/s | latency p95 ms | SSIM | VMAF | CPU s (all kernels) | CPU % of a core | restarts | ok |");
        b.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        double frames = 0, fps = 0, mbps = 0, cpu = 0, cpuPct = 0;
        foreach (var r in results)
        {
            var shown = r.Number(KernelKind.Display, "frames_displayed") ?? 0;
            var activeS = r.Number(KernelKind.Display, "active_s");
            var rate = activeS is > 0 ? shown / activeS.Value : 0;
            var bitrate = r.Number(KernelKind.Encode, "bytes") is { } bytes && r.Number(KernelKind.Encode, "active_s") is { } encS && encS > 0 ? bytes * 8 / encS / 1e6 : 0;
            var cpuS = r.CpuSeconds.Values.Sum();
            var pct = r.Wall.TotalSeconds > 0 ? 100 * cpuS / r.Wall.TotalSeconds : 0;
            frames += shown;
            fps += rate;
            mbps += bitrate;
            cpu += cpuS;
            cpuPct += pct;
            b.AppendLine(Figures.Fmt($"| {r.Session} | {shown:F0} | {rate:F1} | {bitrate:F2} | {Figures.Or(r.Number(KernelKind.Display, "age_ms_p95") ?? r.Number(KernelKind.Display, "latency_ms_p95"), "F1")} | {Figures.Or(r.Number(KernelKind.Display, "ssim_mean"), "F4")} | {Figures.Or(r.Number(KernelKind.Display, "vmaf_mean"), "F2")} | {cpuS:F1} | {pct:F0} | {r.Restarts.Count} | {(r.Succeeded ? "yes" : "no")} |"));
        }
        b.AppendLine(Figures.Fmt($"| total ({results.Count}) | {frames:F0} | {fps:F1} | {mbps:F2} | | | | {cpu:F1} | {cpuPct:F0} | {results.Sum(r => r.Restarts.Count)} | {(results.All(r => r.Succeeded) ? "yes" : "no")} |"));
        return b.ToString();
    }

    public static string ToJson(IReadOnlyList<RunResult> results) =>
        new JsonObject
        {
            ["streams"] = new JsonArray(results.Select(r => JsonNode.Parse(r.ToJson())).ToArray()),
            ["succeeded"] = results.All(r => r.Succeeded),
            ["cpu_s_total"] = Math.Round(results.Sum(r => r.CpuSeconds.Values.Sum()), 2),
        }.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
}
