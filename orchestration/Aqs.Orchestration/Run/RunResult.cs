using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aqs.Orchestration.Supervision;

namespace Aqs.Orchestration.Run;

/// <summary>
/// What a run achieved, assembled only from the figures the kernels measured and printed in their
/// summary lines; a figure no kernel reported is shown as "n/a", never invented.
/// </summary>
public sealed class RunResult
{
    private readonly Dictionary<KernelKind, JsonElement> _summaries;
    private readonly List<(KernelKind Kind, int? ExitCode, IReadOnlyList<string> Tail, string Log)> _exits;

    public string Session { get; }
    public TimeSpan Wall { get; }
    public IReadOnlyList<string> LeftoverFiles { get; }
    /// <summary>The kernel a failure is about, if one is.</summary>
    public KernelKind? FailedEarly { get; private init; }
    /// <summary>Why the run failed, in one line; null when it did not.</summary>
    public string? Failure { get; private init; }
    /// <summary>"duration reached", "input ended", "stopped (SIGINT)", or the failure.</summary>
    public string EndReason { get; private init; } = "";
    public IReadOnlyList<KernelRestart> Restarts { get; private init; } = [];
    /// <summary>CPU seconds each kernel used over the run (all its processes).</summary>
    public IReadOnlyDictionary<KernelKind, double> CpuSeconds { get; private init; } = new Dictionary<KernelKind, double>();
    /// <summary>The run's folder (logs, timeline, summary.json, report.html).</summary>
    public string? Folder { get; private init; }

    private RunResult(string session, TimeSpan wall, Dictionary<KernelKind, JsonElement> summaries,
        List<(KernelKind, int?, IReadOnlyList<string>, string)> exits, IReadOnlyList<string> leftovers)
    {
        Session = session;
        Wall = wall;
        _summaries = summaries;
        _exits = exits;
        LeftoverFiles = leftovers;
    }

    public static RunResult From(string session, TimeSpan wall, IReadOnlyList<KernelProcess> kernels, IReadOnlyList<string> leftovers,
        string endReason, string? failure = null, KernelKind? failedKernel = null, IReadOnlyList<KernelRestart>? restarts = null,
        IReadOnlyDictionary<KernelKind, double>? cpuSeconds = null, string? folder = null)
    {
        var summaries = new Dictionary<KernelKind, JsonElement>();
        var exits = new List<(KernelKind, int?, IReadOnlyList<string>, string)>();
        foreach (var kernel in kernels)
        {
            if (kernel.Summary is { } summary)
            {
                summaries[kernel.Kind] = summary;
            }
            exits.Add((kernel.Kind, kernel.ExitCode, kernel.Tail, kernel.LogPath));
        }
        return new RunResult(session, wall, summaries, exits, leftovers)
        {
            EndReason = failure is null ? endReason : "failed",
            Failure = failure ?? ProblemOf(summaries, exits),
            FailedEarly = failedKernel,
            Restarts = restarts ?? [],
            CpuSeconds = cpuSeconds ?? new Dictionary<KernelKind, double>(),
            Folder = folder,
        };
    }

    /// <summary>Why a run that no supervisor failed still did not succeed, in one line; null when it did.</summary>
    private static string? ProblemOf(Dictionary<KernelKind, JsonElement> summaries, List<(KernelKind Kind, int? ExitCode, IReadOnlyList<string> Tail, string Log)> exits)
    {
        if (exits.FirstOrDefault(e => e.ExitCode != 0) is { Log: not null } bad)
        {
            return $"{bad.Kind.ExecutableName()} exited {Supervisor.Describe(bad.ExitCode)}; log {bad.Log}";
        }
        if (exits.FirstOrDefault(e => !summaries.ContainsKey(e.Kind)) is { Log: not null } silent)
        {
            return $"{silent.Kind.ExecutableName()} printed no summary; log {silent.Log}";
        }
        if (summaries.TryGetValue(KernelKind.Display, out var display)
            && (!display.TryGetProperty("frames_displayed", out var shown) || shown.ValueKind != JsonValueKind.Number || shown.GetDouble() <= 0))
        {
            return "no frame reached the display";
        }
        return null;
    }

    /// <summary>True when no kernel failed for good, every kernel exited 0 after reporting, and frames reached the display.</summary>
    public bool Succeeded =>
        Failure is null
        && _exits.All(e => e.ExitCode == 0)
        && _summaries.Count == 4
        && (Number(KernelKind.Display, "frames_displayed") ?? 0) > 0;

    public double? Number(KernelKind kind, string key) =>
        _summaries.TryGetValue(kind, out var s) && s.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number
            ? v.GetDouble()
            : null;

    public string? Text(KernelKind kind, string key) =>
        _summaries.TryGetValue(kind, out var s) && s.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()
            : null;

    private double? PerSecond(KernelKind kind, string key)
    {
        var count = Number(kind, key);
        var seconds = Number(kind, "active_s");
        return count is { } c && seconds is > 0 ? c / seconds.Value : null;
    }

    public string Render()
    {
        var b = new StringBuilder();
        var source = $"{Text(KernelKind.Preprocess, "input") ?? "?"} {Number(KernelKind.Preprocess, "width")}x{Number(KernelKind.Preprocess, "height")} {Text(KernelKind.Preprocess, "pix_fmt")} @ {F(Number(KernelKind.Preprocess, "fps"), "F0")} fps";
        b.AppendLine($"AQS Quad run {Session}: {Wall.TotalSeconds:F1} s wall, {source}, codec {Text(KernelKind.Encode, "codec") ?? "n/a"}");
        b.AppendLine($"  frames    in {F(Number(KernelKind.Preprocess, "frames_published"))} | encoded {F(Number(KernelKind.Encode, "frames_encoded"))} | sent {F(Number(KernelKind.Network, "frames_sent"))} | received {F(Number(KernelKind.Network, "frames_received"))} | displayed {F(Number(KernelKind.Display, "frames_displayed"))}");
        var bitrate = Number(KernelKind.Encode, "bytes") is { } bytes && Number(KernelKind.Encode, "active_s") is { } seconds && seconds > 0
            ? bytes * 8 / seconds / 1e6
            : (double?)null;
        b.AppendLine($"  rate      displayed {F(PerSecond(KernelKind.Display, "frames_displayed"), "F1")} fps | encoded {F(PerSecond(KernelKind.Encode, "frames_encoded"), "F1")} fps | bitrate {F(bitrate, "F2")} Mbit/s");
        b.AppendLine($"  latency   capture->decoded p50 {F(Number(KernelKind.Display, "latency_ms_p50"), "F1")} ms | p95 {F(Number(KernelKind.Display, "latency_ms_p95"), "F1")} ms | p99 {F(Number(KernelKind.Display, "latency_ms_p99"), "F1")} ms");
        b.AppendLine($"  viewer    on-screen age p50 {F(Number(KernelKind.Display, "age_ms_p50"), "F1")} ms | p95 {F(Number(KernelKind.Display, "age_ms_p95"), "F1")} ms | p99 {F(Number(KernelKind.Display, "age_ms_p99"), "F1")} ms | capture->presented p95 {F(Number(KernelKind.Display, "presented_ms_p95"), "F1")} ms | freezes {F(Number(KernelKind.Display, "freezes"))} ({F(Number(KernelKind.Display, "freeze_ms"))} ms)");
        b.AppendLine($"  quality   PSNR {F(Number(KernelKind.Display, "psnr_mean"), "F2")} dB | SSIM {F(Number(KernelKind.Display, "ssim_mean"), "F4")} ({F(Number(KernelKind.Display, "ssim_db_mean"), "F2")} dB) | {VmafLine()} | PQM {F(Number(KernelKind.Display, "pqm_mean"), "F3")} | measured {F(Number(KernelKind.Display, "frames_measured"))} of {F(Number(KernelKind.Display, "frames_presented"))} presented");
        b.AppendLine($"  drops     source {F(Number(KernelKind.Preprocess, "frames_dropped"))} | encoder skipped {F(Number(KernelKind.Encode, "frames_skipped"))} | network lost {F(Number(KernelKind.Network, "frames_lost"))} | rx ring full {F(Number(KernelKind.Network, "frames_dropped_rx_full"))} | decode errors {F(Number(KernelKind.Display, "decode_errors"))} | unmatched {F(Number(KernelKind.Display, "frames_unmatched"))}");
        if (CpuSeconds.Count > 0 && Wall.TotalSeconds > 0)
        {
            b.AppendLine("  cpu       " + string.Join(" | ", CpuSeconds.OrderBy(c => c.Key).Select(c =>
                $"{c.Key.ToString().ToLowerInvariant()} {c.Value.ToString("F1", CultureInfo.InvariantCulture)} s ({(100 * c.Value / Wall.TotalSeconds).ToString("F0", CultureInfo.InvariantCulture)} %)")));
        }
        foreach (var restart in Restarts)
        {
            b.AppendLine($"  restart   {restart.Describe()}");
        }
        if (Restarts.Count > 0)
        {
            b.AppendLine($"            (the figures of {string.Join(", ", Restarts.Select(r => r.Kind.ExecutableName()).Distinct())} above are its last process's)");
        }
        b.AppendLine(LeftoverFiles.Count == 0
            ? "  rings     none left in /dev/shm"
            : $"  rings     {LeftoverFiles.Count} file(s) left in /dev/shm and removed: {string.Join(", ", LeftoverFiles.Select(Path.GetFileName))}");
        b.AppendLine($"  end       {EndReason}{(Folder is null ? "" : $"; run folder {Folder}")}");
        if (Failure is not null)
        {
            b.AppendLine($"  failed    {Failure}");
        }
        foreach (var exit in _exits.Where(e => e.ExitCode != 0 || !_summaries.ContainsKey(e.Kind)))
        {
            b.AppendLine($"  problem   {exit.Kind.ExecutableName()} exited {(exit.ExitCode?.ToString() ?? "never")}{(_summaries.ContainsKey(exit.Kind) ? "" : " without a summary")}; log {exit.Log}");
            foreach (var line in exit.Tail.TakeLast(3))
            {
                b.AppendLine($"            {line}");
            }
        }
        return b.ToString();
    }

    public string ToJson()
    {
        var root = new JsonObject
        {
            ["session"] = Session,
            ["wall_s"] = Math.Round(Wall.TotalSeconds, 3),
            ["succeeded"] = Succeeded,
            ["end_reason"] = EndReason,
            ["failure"] = Failure,
            ["run_folder"] = Folder,
            ["restarts"] = new JsonArray(Restarts.Select(r => (JsonNode)new JsonObject
            {
                ["kernel"] = r.Kind.ExecutableName(),
                ["failed_at_s"] = Math.Round(r.FailedAtS, 2),
                ["cause"] = r.Cause,
                ["restarted_at_s"] = r.RestartedAtS is { } at ? Math.Round(at, 2) : null,
                ["recovered_at_s"] = r.RecoveredAtS is { } rec ? Math.Round(rec, 2) : null,
                ["frames_lost"] = r.FramesLost,
            }).ToArray()),
            ["cpu_s"] = new JsonObject(CpuSeconds.Select(c => KeyValuePair.Create(c.Key.ExecutableName(), (JsonNode?)JsonValue.Create(Math.Round(c.Value, 2))))),
            ["leftover_files"] = new JsonArray(LeftoverFiles.Select(f => (JsonNode)JsonValue.Create(f)!).ToArray()),
        };
        var kernels = new JsonObject();
        foreach (var (kind, summary) in _summaries)
        {
            kernels[kind.ExecutableName()] = JsonNode.Parse(summary.GetRawText());
        }
        root["kernels"] = kernels;
        root["exit_codes"] = new JsonObject(_exits.Select(e => KeyValuePair.Create(e.Kind.ExecutableName(), (JsonNode?)(e.ExitCode is { } c ? JsonValue.Create(c) : null))));
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>VMAF is scored on the runs of frames the display's worker keeps up with; say how many, or why none.</summary>
    private string VmafLine()
    {
        if (Text(KernelKind.Display, "vmaf_unavailable") is { } reason)
        {
            return $"VMAF n/a ({reason})";
        }
        var scored = Number(KernelKind.Display, "frames_vmaf_scored");
        var skipped = Number(KernelKind.Display, "frames_vmaf_skipped");
        return $"VMAF {F(Number(KernelKind.Display, "vmaf_mean"), "F2")} ({F(scored)} of {F(scored + skipped)} measured frames)";
    }

    private static string F(double? value, string format = "F0") =>
        value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "n/a";
}
