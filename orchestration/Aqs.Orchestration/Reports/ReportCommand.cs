using System.CommandLine;
using System.Globalization;
using System.Text;
using Aqs.Orchestration.Live;

namespace Aqs.Orchestration.Reports;

/// <summary><c>aqs report RUN</c> rebuilds a run's report; <c>aqs compare A B</c> sets two runs side by side.</summary>
public static class ReportCommand
{
    public static Command CreateReport()
    {
        var folder = new Argument<string>("run-folder") { Description = "a run's folder, e.g. runs/r1a2b3c4d" };
        var command = new Command("report", "rebuild a run's report.html and plots from its logs") { folder };
        command.SetAction(parse =>
        {
            var run = RunFolder.Open(parse.GetValue(folder)!);
            ReportWriter.Write(run);
            Console.Out.WriteLine($"aqs report: {run.File(RunFolder.ReportFile)}");
            return 0;
        });
        return command;
    }

    public static Command CreateCompare()
    {
        var a = new Argument<string>("a") { Description = "first run folder (e.g. the --aqs off run)" };
        var b = new Argument<string>("b") { Description = "second run folder" };
        var output = new Option<string?>("--out") { Description = "folder for compare.html and its plots (default: compare-A-B beside A)" };
        var command = new Command("compare", "put two runs side by side: headline figures and overlaid timelines") { a, b, output };
        command.SetAction(parse =>
        {
            var first = RunFolder.Open(parse.GetValue(a)!);
            var second = RunFolder.Open(parse.GetValue(b)!);
            var outDir = parse.GetValue(output) ?? Path.Combine(Path.GetDirectoryName(first.Path)!, $"compare-{Path.GetFileName(first.Path)}-{Path.GetFileName(second.Path)}");
            Directory.CreateDirectory(outDir);
            var table = CompareWriter.Write(first, second, outDir);
            Console.Out.Write(table);
            Console.Out.WriteLine($"aqs compare: {Path.Combine(Path.GetFullPath(outDir), "compare.html")}");
            return 0;
        });
        return command;
    }
}

/// <summary>Two runs side by side: a table of <see cref="KeyFigures"/> (A, B, B/A) and each chart with both runs overlaid.</summary>
public static class CompareWriter
{
    public static string Write(RunFolder a, RunFolder b, string outDir)
    {
        var nameA = Path.GetFileName(a.Path);
        var nameB = Path.GetFileName(b.Path);
        var sa = a.ReadSummary() ?? [];
        var sb = b.ReadSummary() ?? [];
        var text = new StringBuilder();
        text.AppendLine(Figures.Fmt($"| figure | {nameA} | {nameB} | {nameB}/{nameA} |"));
        text.AppendLine("|---|---|---|---|");
        foreach (var figure in KeyFigures.All)
        {
            var va = figure.Read(sa);
            var vb = figure.Read(sb);
            var ratio = va is { } x && vb is { } y && x != 0 ? (y / x).ToString("F2", CultureInfo.InvariantCulture) : "n/a";
            text.AppendLine($"| {figure.Label} | {figure.Format(va)} | {figure.Format(vb)} | {ratio} |");
        }
        var timelines = new List<(string, IReadOnlyList<TelemetrySample>)> { (nameA, a.ReadTimeline()), (nameB, b.ReadTimeline()) };
        var html = new StringBuilder();
        html.AppendLine($"<!doctype html><html><head><meta charset=\"utf-8\"><title>{nameA} vs {nameB}</title><style>body{{font:14px system-ui,sans-serif;margin:24px}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:3px 8px}}</style></head><body>");
        html.AppendLine($"<h1>{System.Net.WebUtility.HtmlEncode(nameA)} (solid) vs {System.Net.WebUtility.HtmlEncode(nameB)} (dashed)</h1><table>");
        foreach (var line in text.ToString().Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)))
        {
            html.AppendLine("<tr>" + string.Concat(line.Trim('|', ' ').Split(" | ").Select(c => $"<td>{System.Net.WebUtility.HtmlEncode(c)}</td>")) + "</tr>");
        }
        html.AppendLine("</table>");
        foreach (var chart in Charts.All)
        {
            var file = $"compare-{chart.Id}.png";
            if (Plots.Timeline(chart, timelines, Path.Combine(outDir, file), 1000, 300))
            {
                html.AppendLine($"<h3>{chart.Title}</h3><img src=\"{file}\" width=\"1000\" height=\"300\">");
            }
        }
        html.AppendLine("</body></html>");
        File.WriteAllText(Path.Combine(outDir, "compare.html"), html.ToString());
        return text.ToString();
    }
}
