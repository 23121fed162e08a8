using Aqs.Orchestration.Run;
using Aqs.Orchestration.Supervision;
using Aqs.Shared.Contracts;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Aqs.Orchestration.Live;

/// <summary>
/// The terminal dashboard: the kernels (output rate, CPU, memory, ring fill), the stream (rung, rate, depth,
/// bitrate against estimate and capacity, loss, FEC, delivered quality, on-screen age, freezes) and the AQS
/// decisions as they happen. <see cref="Render"/> is pure, so a test console can check it.
/// </summary>
public static class Dashboard
{
    private static readonly (KernelKind Kind, string Ring)[] Outputs =
        [(KernelKind.Preprocess, "raw"), (KernelKind.Encode, "enc"), (KernelKind.Network, "rx"), (KernelKind.Display, "")];

    public static IRenderable Render(string headline, TelemetrySample? s, IReadOnlyList<EncoderDecision> decisions, IReadOnlyList<KernelRestart> restarts)
    {
        var kernels = new Table().Border(TableBorder.Rounded).Title("kernels")
            .AddColumns("kernel", "out fps", "CPU %", "RSS MB", "out ring fill");
        foreach (var (kind, ring) in Outputs)
        {
            var name = kind.ExecutableName();
            var fps = kind == KernelKind.Display ? s?.DisplayedFps : Get(s?.RingFps, ring);
            kernels.AddRow(name, Figures.Or(fps, "F1"), Figures.Or(Get(s?.CpuPct, name), "F0"), Figures.Or(Get(s?.RssMb, name), "F0"),
                ring.Length == 0 ? "-" : Get(s?.RingFill, ring) is { } fill ? Figures.Or(fill * 100, "F0") + " %" : "n/a");
        }
        var stream = new Table().Border(TableBorder.Rounded).Title("stream").AddColumns("", "", "", "");
        stream.AddRow("rung", s is { Width: { } w, Height: { } h } ? $"{w}x{h}" : "n/a", "mode / preset", $"{s?.Mode ?? "n/a"} / {s?.Preset ?? "n/a"}");
        stream.AddRow("fps", Figures.Or(s?.Fps, "F0"), "bit depth", s?.BitDepth?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "n/a");
        stream.AddRow("bitrate Mbit/s", $"{Figures.Mbps(s?.BitrateBps)} (target {Figures.Mbps(s?.TargetBps)})", "estimate / capacity", $"{Figures.Mbps(s?.EstimateBps)} / {Figures.Mbps(s?.CapacityBps)}");
        stream.AddRow("loss", Figures.Or(s?.LossPct, "F2") + " %", "FEC overhead", Figures.Or(s?.FecPct, "F0") + " %");
        stream.AddRow("VMAF / SSIM", $"{Figures.Or(s?.Vmaf, "F1")} / {Figures.Or(s?.Ssim, "F4")}", "age p95", Figures.Or(s?.LatencyP95Ms, "F0") + " ms");
        stream.AddRow("freezes", $"{s?.Freezes?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "n/a"} ({Figures.Or(s?.FreezeMs, "F0")} ms)", "encode", Figures.Or(s?.EncodeMs, "F1") + " ms/frame");
        var recent = new Table().Border(TableBorder.Rounded).Title("AQS decisions").AddColumns("rung", "fps", "bit/s", "why");
        foreach (var d in decisions.TakeLast(5))
        {
            recent.AddRow($"{d.Width}x{d.Height}", Figures.Or(d.Fps, "F0"), Figures.Mbps(d.BitrateBps) + " M", Markup.Escape(d.Reason));
        }
        if (decisions.Count == 0)
        {
            recent.AddRow("-", "-", "-", "none yet");
        }
        var rows = new List<IRenderable>
        {
            new Markup($"[bold]{Markup.Escape(headline)}[/]  {Figures.Or(s?.T, "F0")} s"),
            new Columns(kernels, stream),
            recent,
        };
        foreach (var restart in restarts.TakeLast(3))
        {
            rows.Add(new Markup($"[yellow]restart[/] {Markup.Escape(restart.Describe())}"));
        }
        return new Rows(rows);
    }

    private static double? Get(Dictionary<string, double>? values, string key) =>
        values is not null && values.TryGetValue(key, out var v) ? v : null;
}

/// <summary>The dashboard drawn in place on a terminal (Spectre.Console live display), refreshed every sample.</summary>
public sealed class DashboardView : IRunView
{
    private readonly IAnsiConsole _console;
    private readonly PipelineRun _run;
    private readonly AutoResetEvent _wake = new(false);
    private string _headline = "";
    private Task? _live;
    private volatile bool _ended;

    public DashboardView(IAnsiConsole console, PipelineRun run)
    {
        _console = console;
        _run = run;
    }

    public void Begin(string headline)
    {
        _headline = headline;
        _live = Task.Run(() => _console.Live(Current()).AutoClear(false).Overflow(VerticalOverflow.Ellipsis).Start(context =>
        {
            while (!_ended)
            {
                _wake.WaitOne(TimeSpan.FromSeconds(1));
                context.UpdateTarget(Current());
                context.Refresh();
            }
        }));
    }

    private IRenderable Current() =>
        Dashboard.Render(_headline, _run.Telemetry.Latest, _run.Telemetry.Decisions(), _run.Supervisor?.Restarts ?? []);

    public void Update(TelemetrySample sample) => _wake.Set();

    public void End()
    {
        _ended = true;
        _wake.Set();
        _live?.Wait(TimeSpan.FromSeconds(5));
    }

    public void Dispose()
    {
        End();
        _wake.Dispose();
    }
}
