using System.Globalization;
using System.Text.Json.Nodes;
using Aqs.Orchestration.Live;
using Aqs.Orchestration.Reports;
using Aqs.Orchestration.Run;

namespace Aqs.Orchestration.Overload;

/// <summary>What an overload run asks of the machine.</summary>
public sealed record OverloadOptions
{
    public int Streams { get; init; } = 4;
    public string Size { get; init; } = "1280x720";
    public double Fps { get; init; } = 60;
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(40);
    public string RunsDirectory { get; init; } = "runs";
}

/// <summary>One step the AQS engine took in one stream, from its decisions.jsonl.</summary>
public sealed record OverloadStep(double T, string From, string To, string Reason);

/// <summary>One stream of an overload run: how its engine stepped down, and what the viewer and the machine saw.</summary>
public sealed record OverloadStream(
    RunResult Run,
    IReadOnlyList<OverloadStep> Steps,
    int StepsDown,
    IReadOnlyList<TelemetrySample> Samples)
{
    /// <summary>Samples of the last half of the run, once the engine had time to adapt.</summary>
    public IEnumerable<TelemetrySample> Settled => Samples.Where(s => s.T >= Samples.LastOrDefault()?.T / 2);
}

/// <summary>
/// <c>aqs run --streams N</c> with more streams than the machine encodes in real time (default 4 x 720p60 on
/// 2 cores): each stream's engine steps (rung, frame rate, preset) and what the viewer and the machine saw on the way:
/// on-screen age per second, ring fill, every kernel's RSS.
/// </summary>
public sealed class OverloadRun
{
    private readonly OverloadOptions _options;
    private readonly TextWriter _progress;

    public OverloadRun(OverloadOptions options, TextWriter progress)
    {
        _options = options;
        _progress = progress;
    }

    public IReadOnlyList<OverloadStream> Execute(CancellationToken cancel)
    {
        var multi = new MultiStreamRun(new RunOptions
        {
            Duration = _options.Duration,
            Size = _options.Size,
            Fps = _options.Fps,
            View = RunView.None,
            RunsDirectory = _options.RunsDirectory,
            Report = false,
            DisplayArguments = ["--vmaf", "off"],
        }, _options.Streams, _progress);
        var samples = new Dictionary<string, List<TelemetrySample>>();
        multi.Created += run =>
        {
            var mine = samples[run.Session] = [];
            run.Telemetry.Sampled += s =>
            {
                lock (mine)
                {
                    mine.Add(s);
                }
            };
        };
        var results = multi.Execute(cancel);
        return results.Select(r =>
        {
            var steps = Steps(Path.Combine(r.Folder ?? "", "decisions.jsonl"));
            return new OverloadStream(r, steps, steps.Count(IsDown), samples.GetValueOrDefault(r.Session) ?? []);
        }).ToList();
    }

    /// <summary>Changes of rung or preset in a decision log (lines that do not parse, such as a killed kernel's torn last one, are passed over).</summary>
    public static IReadOnlyList<OverloadStep> Steps(string decisions)
    {
        var steps = new List<OverloadStep>();
        if (!File.Exists(decisions))
        {
            return steps;
        }
        string? last = null;
        foreach (var line in File.ReadLines(decisions))
        {
            JsonNode? d;
            try
            {
                d = JsonNode.Parse(line);
            }
            catch (System.Text.Json.JsonException)
            {
                continue;
            }
            if (d?["rung"]?.GetValue<string>() is not { } rung || d["preset"]?.GetValue<string>() is not { } preset)
            {
                continue;
            }
            var now = $"{rung} {preset}";
            if (last is not null && now != last)
            {
                steps.Add(new OverloadStep(d["t"]?.GetValue<double>() ?? 0, last, now, d["reason"]?.GetValue<string>() ?? ""));
            }
            last = now;
        }
        return steps;
    }

    /// <summary>A step that asks less of the encoder: fewer pixels a second, or a faster x264 preset.</summary>
    public static bool IsDown(OverloadStep step)
    {
        var (fromRate, fromPreset) = Cost(step.From);
        var (toRate, toPreset) = Cost(step.To);
        return toRate < fromRate || toPreset > fromPreset;
    }

    private static readonly string[] Presets = ["placebo", "veryslow", "slower", "slow", "medium", "fast", "faster", "veryfast", "superfast", "ultrafast"];

    /// <summary>"1280x720@60 8-bit veryfast" -> (pixels a second, preset speed rank).</summary>
    private static (double PixelRate, int PresetRank) Cost(string rungAndPreset)
    {
        var parts = rungAndPreset.Split(' ');
        var size = parts[0].Split('@');
        var wh = size[0].Split('x');
        var rate = double.Parse(wh[0], CultureInfo.InvariantCulture) * double.Parse(wh[1], CultureInfo.InvariantCulture)
            * double.Parse(size[1], CultureInfo.InvariantCulture);
        return (rate, Array.IndexOf(Presets, parts[^1]));
    }

    /// <summary>The q-quantile of <paramref name="values"/> (nearest rank); NaN when empty.</summary>
    public static double Quantile(IEnumerable<double> values, double q)
    {
        var sorted = values.Where(double.IsFinite).Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
    }
}
