using Aqs.Orchestration.Live;
using ScottPlot;

namespace Aqs.Orchestration.Reports;

/// <summary>ScottPlot timelines of <see cref="Charts"/>: one run, or several overlaid (compare).</summary>
public static class Plots
{
    /// <summary>Draws <paramref name="chart"/> over time for each run; false (and no file) when nothing was measured.</summary>
    public static bool Timeline(Chart chart, IReadOnlyList<(string Label, IReadOnlyList<TelemetrySample> Samples)> runs, string path, int width, int height)
    {
        var plot = new Plot();
        var drawn = 0;
        var palette = new ScottPlot.Palettes.Category10();
        var colour = 0;
        foreach (var (label, samples) in runs)
        {
            foreach (var series in chart.Series)
            {
                var points = samples
                    .Select(s => (s.T, V: series.Value(s)))
                    .Where(p => p.V is { } v && double.IsFinite(v))
                    .ToList();
                var color = palette.GetColor(colour++);
                if (points.Count == 0)
                {
                    continue;
                }
                var line = plot.Add.Scatter(points.Select(p => p.T).ToArray(), points.Select(p => p.V!.Value).ToArray());
                line.LegendText = label.Length == 0 ? series.Name : $"{label}: {series.Name}";
                line.MarkerSize = points.Count == 1 ? 5 : 0;
                line.LineWidth = 2;
                line.Color = color;
                if (runs.Count > 1 && runs[1].Label == label)
                {
                    line.LinePattern = LinePattern.Dashed;
                }
                drawn++;
            }
        }
        if (drawn == 0)
        {
            return false;
        }
        plot.Title(chart.Title);
        plot.XLabel("run time, s");
        plot.YLabel(chart.Unit);
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, width, height);
        return true;
    }
}
