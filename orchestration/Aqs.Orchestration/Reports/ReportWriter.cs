using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aqs.Orchestration.Live;

namespace Aqs.Orchestration.Reports;

/// <summary>
/// Writes a run folder's <c>report.html</c>: the headline figures, one PNG per <see cref="Charts"/> entry (ScottPlot),
/// the AQS decisions and the restarts; and adds to <c>summary.json</c> the figures derived from the per-frame and
/// per-second logs, so the summary and the logs can be checked against each other.
/// </summary>
public static class ReportWriter
{
    private const int Width = 1000;
    private const int Height = 300;

    public static void Write(RunFolder folder)
    {
        var timeline = folder.ReadTimeline();
        var frames = folder.ReadJsonLines(RunFolder.EncodedFramesFile);
        var decisions = folder.ReadJsonLines(RunFolder.DecisionsFile);
        var summary = folder.ReadSummary() ?? new JsonObject();
        var fromLogs = LogFigures.From(timeline, frames, decisions);
        summary["from_logs"] = fromLogs.ToJson();
        File.WriteAllText(folder.File(RunFolder.SummaryFile), summary.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

        var images = new List<(string File, string Title)>();
        foreach (var chart in Charts.All)
        {
            var file = $"plot-{chart.Id}.png";
            if (Plots.Timeline(chart, [("", timeline)], folder.File(file), Width, Height))
            {
                images.Add((file, chart.Title));
            }
        }
        File.WriteAllText(folder.File(RunFolder.ReportFile), Html(summary, fromLogs, images, decisions));
    }

    private static string Html(JsonObject summary, LogFigures logs, List<(string File, string Title)> images, IReadOnlyList<JsonObject> decisions)
    {
        var b = new StringBuilder();
        var session = summary["session"]?.GetValue<string>() ?? "?";
        b.AppendLine($"<!doctype html><html><head><meta charset=\"utf-8\"><title>AQS Quad run {E(session)}</title>");
        b.AppendLine("<style>body{font:14px system-ui,sans-serif;margin:24px;max-width:1040px}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}img{display:block;margin:8px 0;border:1px solid #eee}</style></head><body>");
        b.AppendLine($"<h1>AQS Quad run {E(session)}</h1>");
        b.AppendLine($"<p>{E(summary["end_reason"]?.ToString() ?? "")}{(summary["failure"] is { } f ? " — " + E(f.ToString()) : "")}; {E(summary["wall_s"]?.ToString() ?? "?")} s wall; succeeded: {E(summary["succeeded"]?.ToString() ?? "?")}</p>");
        b.AppendLine("<h2>Figures</h2><table>");
        foreach (var (label, value) in Headline(summary, logs))
        {
            b.AppendLine($"<tr><th>{E(label)}</th><td>{E(value)}</td></tr>");
        }
        b.AppendLine("</table>");
        foreach (var (file, title) in images)
        {
            b.AppendLine($"<h3>{E(title)}</h3><img src=\"{E(file)}\" alt=\"{E(title)}\" width=\"{Width}\" height=\"{Height}\">");
        }
        if (summary["restarts"] is JsonArray { Count: > 0 } restarts)
        {
            b.AppendLine("<h2>Restarts</h2><table><tr><th>kernel</th><th>at s</th><th>cause</th><th>recovered at s</th><th>frames lost</th></tr>");
            foreach (var r in restarts.OfType<JsonObject>())
            {
                b.AppendLine($"<tr><td>{E(r["kernel"])}</td><td>{E(r["failed_at_s"])}</td><td>{E(r["cause"])}</td><td>{E(r["recovered_at_s"])}</td><td>{E(r["frames_lost"])}</td></tr>");
            }
            b.AppendLine("</table>");
        }
        b.AppendLine($"<h2>AQS decisions ({decisions.Count})</h2>");
        if (decisions.Count == 0)
        {
            b.AppendLine("<p>Kernel C wrote no decision log for this run.</p>");
        }
        else
        {
            b.AppendLine("<table><tr><th>decision</th></tr>");
            foreach (var d in decisions.Take(200))
            {
                b.AppendLine($"<tr><td><code>{E(d.ToJsonString())}</code></td></tr>");
            }
            b.AppendLine("</table>");
        }
        b.AppendLine("</body></html>");
        return b.ToString();
    }

    /// <summary>The figures a reader wants first, from the kernels' own totals where they reported them.</summary>
    internal static IEnumerable<(string Label, string Value)> Headline(JsonObject summary, LogFigures logs)
    {
        foreach (var figure in KeyFigures.All)
        {
            yield return (figure.Label, figure.Format(figure.Read(summary)));
        }
        yield return ("encoded frames in the per-frame log", logs.EncodedFrames.ToString(CultureInfo.InvariantCulture));
        yield return ("mean encoded bitrate (per-frame log), Mbit/s", Figures.Mbps(logs.MeanBitrateBps));
        yield return ("AQS decisions logged", logs.Decisions.ToString(CultureInfo.InvariantCulture));
    }

    private static string E(object? value) => WebUtility.HtmlEncode(value?.ToString() ?? "");
}
