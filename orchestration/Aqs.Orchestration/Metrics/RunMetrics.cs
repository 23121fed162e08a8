using Aqs.Orchestration.Live;
using Aqs.Orchestration.Run;
using Aqs.Shared.Cli;
using Prometheus;

namespace Aqs.Orchestration.Metrics;

/// <summary>
/// <c>--metrics-port</c>: the dashboard's figures as Prometheus gauges (prometheus-net), labelled by session (and
/// kernel or ring), served on loopback at <c>/metrics</c>. Every run of the launcher (one per stream) feeds the same
/// registry from its <see cref="Telemetry.Sampled"/> event.
/// </summary>
public sealed class RunMetrics : IDisposable
{
    private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();
    private readonly MetricServer? _server;
    private readonly Gauge _stream;
    private readonly Gauge _kernelCpu;
    private readonly Gauge _kernelRss;
    private readonly Gauge _ringFill;
    private readonly Gauge _restarts;

    /// <summary>The stream gauges and the sample field each reads.</summary>
    private static readonly (string Name, string Help, Func<TelemetrySample, double?> Value)[] StreamFigures =
    [
        ("aqs_encoded_fps", "frames encoded per second", s => s.EncodedFps),
        ("aqs_bitrate_bps", "bits encoded per second", s => s.BitrateBps),
        ("aqs_target_bitrate_bps", "the encoder's target bitrate", s => s.TargetBps),
        ("aqs_estimate_bps", "the bandwidth estimate", s => s.EstimateBps),
        ("aqs_capacity_bps", "capacity of the emulated link", s => s.CapacityBps),
        ("aqs_rung_height", "encoded lines", s => s.Height),
        ("aqs_rung_fps", "encoder frame rate", s => s.Fps),
        ("aqs_bit_depth", "encoded bit depth", s => s.BitDepth),
        ("aqs_loss_ratio", "packet loss, 0..1", s => s.LossPct / 100),
        ("aqs_fec_ratio", "parity packets per media packet", s => s.FecPct / 100),
        ("aqs_vmaf", "delivered VMAF", s => s.Vmaf),
        ("aqs_ssim", "delivered SSIM", s => s.Ssim),
        ("aqs_latency_p95_ms", "age of the picture on screen, p95 over the last window", s => s.LatencyP95Ms),
        ("aqs_freezes", "freezes since start", s => s.Freezes),
        ("aqs_frames_displayed", "frames displayed since start", s => s.FramesDisplayed),
        ("aqs_encode_ms", "mean encode time per frame", s => s.EncodeMs),
    ];

    private readonly Gauge[] _streamGauges;

    public RunMetrics(int? port)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(_registry);
        _streamGauges = StreamFigures.Select(f => factory.CreateGauge(f.Name, f.Help, "session")).ToArray();
        _stream = factory.CreateGauge("aqs_up", "1 while the session runs", "session");
        _kernelCpu = factory.CreateGauge("aqs_kernel_cpu_percent", "CPU of each kernel, % of one core", "session", "kernel");
        _kernelRss = factory.CreateGauge("aqs_kernel_rss_mb", "resident memory of each kernel, MB", "session", "kernel");
        _ringFill = factory.CreateGauge("aqs_ring_fill_ratio", "share of a ring's slots held, 0..1", "session", "ring");
        _restarts = factory.CreateGauge("aqs_restarts", "kernel restarts in the run", "session");
        if (port is { } p)
        {
            try
            {
                _server = new MetricServer("127.0.0.1", p, "metrics/", _registry);
                _server.Start();
            }
            catch (Exception ex) when (ex is System.Net.HttpListenerException or InvalidOperationException)
            {
                throw new UserFacingException($"--metrics-port: cannot listen on 127.0.0.1:{p}: {ex.Message}", CommandLineHost.ExitUsage);
            }
        }
    }

    public CollectorRegistry Registry => _registry;

    public void Attach(PipelineRun run) => run.Telemetry.Sampled += s => Record(run.Session, s);

    public void Record(string session, TelemetrySample s)
    {
        _stream.WithLabels(session).Set(1);
        for (var i = 0; i < StreamFigures.Length; i++)
        {
            if (StreamFigures[i].Value(s) is { } v && double.IsFinite(v))
            {
                _streamGauges[i].WithLabels(session).Set(v);
            }
        }
        foreach (var (kernel, cpu) in s.CpuPct ?? [])
        {
            _kernelCpu.WithLabels(session, kernel).Set(cpu);
        }
        foreach (var (kernel, rss) in s.RssMb ?? [])
        {
            _kernelRss.WithLabels(session, kernel).Set(rss);
        }
        foreach (var (ring, fill) in s.RingFill ?? [])
        {
            _ringFill.WithLabels(session, ring).Set(fill);
        }
        _restarts.WithLabels(session).Set(s.Restarts);
    }

    /// <summary>The exposition text, as /metrics serves it.</summary>
    public async Task<string> ExportAsync()
    {
        using var stream = new MemoryStream();
        await _registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    public void Dispose() => _server?.Dispose();
}
