using Aqs.Orchestration.Run;
using Spectre.Console;

namespace Aqs.Orchestration.Live;

/// <summary>How a run shows itself while it goes on.</summary>
public interface IRunView : IDisposable
{
    void Begin(string headline);
    void Update(TelemetrySample sample);
    void End();
}

public static class RunViews
{
    /// <summary>The dashboard when asked for (or on a terminal with <see cref="RunView.Auto"/>), plain lines otherwise.</summary>
    public static IRunView Create(RunView view, TextWriter progress, PipelineRun run) => view switch
    {
        RunView.None => new SilentView(),
        RunView.Dashboard => new DashboardView(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }), run),
        RunView.Auto when !Console.IsErrorRedirected && !Console.IsOutputRedirected => new DashboardView(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }), run),
        _ => new PlainView(progress),
    };

    private sealed class SilentView : IRunView
    {
        public void Begin(string headline)
        {
        }

        public void Update(TelemetrySample sample)
        {
        }

        public void End()
        {
        }

        public void Dispose()
        {
        }
    }
}

/// <summary>One line a second, for logs and pipes: what <c>aqs run</c> prints when its output is not a terminal.</summary>
public sealed class PlainView(TextWriter output) : IRunView
{
    public void Begin(string headline) => output.WriteLine(headline);

    public void Update(TelemetrySample sample) => output.WriteLine("aqs run: " + Line(sample));

    public void End()
    {
    }

    public void Dispose()
    {
    }

    /// <summary>The sample as one line; figures nobody reported are left out.</summary>
    public static string Line(TelemetrySample s)
    {
        var parts = new List<string> { Figures.Fmt($"{s.T,4:F0} s") };
        if (s.EncodedFps is not null)
        {
            parts.Add(Figures.Fmt($"enc {s.EncodedFps:F0} fps {Figures.Mbps(s.BitrateBps)}/{Figures.Mbps(s.TargetBps)} Mbit/s {s.Width}x{s.Height}@{s.Fps:F0} {s.BitDepth}-bit"));
        }
        if (s.EstimateBps is not null)
        {
            parts.Add(Figures.Fmt($"net est {Figures.Mbps(s.EstimateBps)}{(s.CapacityBps is null ? "" : $" cap {Figures.Mbps(s.CapacityBps)}")} Mbit/s loss {s.LossPct:F1}% fec {s.FecPct:F0}%"));
        }
        if (s.FramesDisplayed is not null)
        {
            parts.Add(Figures.Fmt($"shown {s.FramesDisplayed} SSIM {Figures.Or(s.Ssim, "F4")} VMAF {Figures.Or(s.Vmaf, "F1")} age p95 {Figures.Or(s.LatencyP95Ms, "F0")} ms freezes {s.Freezes}"));
        }
        if (s.Restarts > 0)
        {
            parts.Add($"restarts {s.Restarts}");
        }
        return string.Join(" | ", parts);
    }
}
