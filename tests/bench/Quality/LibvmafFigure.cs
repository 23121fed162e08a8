using System.Globalization;
using System.Text.RegularExpressions;

namespace Aqs.Bench.Quality;

/// <summary>
/// libvmaf's speed as ../shared/data/quality-reference/README.md recorded it (this machine has no libvmaf to measure
/// in the same run): the median fps of its `vmaf ... --threads 1` row in the timing table, and the size of the pair
/// it was measured on.
/// </summary>
internal static class LibvmafFigure
{
    /// <param name="dataDirectory">Where ../shared/data lies, or null when absent.</param>
    public static (int Width, int Height, double Fps)? Read(string? dataDirectory)
    {
        var path = dataDirectory is null ? null : Path.Combine(dataDirectory, "quality-reference", "README.md");
        if (path is null || !File.Exists(path))
        {
            return null;
        }
        var lines = File.ReadAllLines(path);
        var size = lines.Select(l => Regex.Match(l, @"^Pair \w+ \((\d+)x(\d+),")).FirstOrDefault(m => m.Success);
        var row = lines.FirstOrDefault(l => l.StartsWith("| `vmaf ", StringComparison.Ordinal) && l.Contains("--threads 1", StringComparison.Ordinal));
        if (size is null || row is null)
        {
            return null;
        }
        var cells = row.Split('|', StringSplitOptions.TrimEntries);
        // | command | frames | median s | fps (median) | fps (best) |  -> cells[4] is fps (median)
        if (cells.Length < 6 || !double.TryParse(cells[4], NumberStyles.Float, CultureInfo.InvariantCulture, out var fps) || fps <= 0)
        {
            return null;
        }
        return (int.Parse(size.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(size.Groups[2].Value, CultureInfo.InvariantCulture), fps);
    }
}
