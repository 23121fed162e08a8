using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Aqs.Bench.Harness;

/// <summary>
/// Collects a suite's figures as markdown tables and writes them to <c>tests/bench/results/NAME.md</c>,
/// headed by the date and the machine they were measured on. Also echoes every row to the console.
/// </summary>
public sealed class BenchReport
{
    private readonly StringBuilder _body = new();
    private readonly string _suite;

    private readonly double _loadAtStart;

    public BenchReport(string suite)
    {
        _suite = suite;
        _loadAtStart = LoadAverage();
    }

    /// <summary>The 1-minute load average, or NaN where /proc/loadavg cannot be read.</summary>
    public static double LoadAverage()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }

    /// <summary>The header's line on the machine's load: a run on a machine busier than its core count says so.</summary>
    private string LoadLine()
    {
        var end = LoadAverage();
        var cores = Environment.ProcessorCount;
        var busy = Math.Max(_loadAtStart, end) > cores;
        return string.Create(CultureInfo.InvariantCulture,
            $"Load average (1 min) {_loadAtStart:F1} at the start and {end:F1} at the end, on {cores} cores") +
            (busy ? ": **measured on a loaded machine** (other work shared the cores), so wall-clock figures are pessimistic and noisier than on a quiet one." : ".");
    }

    public void Section(string title, string? note = null)
    {
        _body.AppendLine().AppendLine($"## {title}").AppendLine();
        if (note is not null)
        {
            _body.AppendLine(note).AppendLine();
        }
        Console.WriteLine();
        Console.WriteLine($"== {title}");
    }

    public void Table(params string[] columns)
    {
        // Markdown needs a blank line before a table (a note may end right above it).
        if (_body.Length > 0 && !(_body.Length >= 2 && _body[^1] == '\n' && _body[^2] == '\n'))
        {
            _body.AppendLine();
        }
        _body.AppendLine("| " + string.Join(" | ", columns) + " |");
        _body.AppendLine("|" + string.Concat(columns.Select(_ => "---|")));
        Console.WriteLine(string.Join(" | ", columns));
    }

    public void Row(params object[] cells)
    {
        var text = cells.Select(Format).ToArray();
        _body.AppendLine("| " + string.Join(" | ", text) + " |");
        Console.WriteLine(string.Join(" | ", text));
    }

    public void Note(string text)
    {
        _body.AppendLine().AppendLine(text);
        Console.WriteLine(text);
    }

    public string Write(string resultsDirectory)
    {
        Directory.CreateDirectory(resultsDirectory);
        var path = Path.Combine(resultsDirectory, _suite + ".md");
        var header = new StringBuilder()
            .AppendLine($"# Benchmark: {_suite}")
            .AppendLine()
            .AppendLine($"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {MachineDescription()} with `orchestration/aqs bench {_suite}`.")
            .AppendLine("Every ratio compares against a baseline measured in the same run, with the same work on the same clock on both sides; where no such baseline could be measured the ratio says n/a.")
            .AppendLine(LoadLine());
        File.WriteAllText(path, header.ToString() + _body);
        return path;
    }

    public static string MachineDescription()
    {
        var cpu = "unknown CPU";
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null)
            {
                cpu = line[(line.IndexOf(':') + 1)..].Trim();
            }
        }
        catch (IOException)
        {
        }
        return $"{cpu}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    }

    private static string Format(object cell) => cell switch
    {
        double d => d.ToString(Math.Abs(d) >= 100 ? "F0" : Math.Abs(d) >= 10 ? "F1" : "F3", CultureInfo.InvariantCulture),
        float f => Format((double)f),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => cell.ToString() ?? "",
    };
}
