using System.Globalization;

namespace Aqs.Bench.Quality;

/// <summary>
/// libvmaf's speed as ../shared/data/quality-reference/README.md recorded it (this machine has no libvmaf to measure
/// in the same run): the median fps of its `vmaf ... --threads 1` row in the timing table.
/// </summary>
internal static class LibvmafFigure
{
    public static double? ReadFps(string readmePath)
    {
        foreach (var line in File.ReadLines(readmePath))
        {
            if (!line.StartsWith("| `vmaf ", StringComparison.Ordinal) || !line.Contains("--threads 1", StringComparison.Ordinal))
            {
                continue;
            }
            // | command | frames | median s | fps (median) | fps (best) |
            var cells = line.Split('|', StringSplitOptions.TrimEntries);
            if (cells.Length > 4 && double.TryParse(cells[4], NumberStyles.Float, CultureInfo.InvariantCulture, out var fps) && fps > 0)
            {
                return fps;
            }
        }
        return null;
    }
}
