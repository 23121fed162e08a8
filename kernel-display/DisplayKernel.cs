using System.Diagnostics;
using Aqs.Kernel.Display.Decoding;
using Aqs.Kernel.Display.Measurement;
using Aqs.Kernel.Display.Pictures;
using Aqs.Kernel.Display.Presentation;
using Aqs.Kernel.Display.References;
using Aqs.Kernel.Display.Rendering;
using Aqs.Shared.Cli;
using Aqs.Shared.Contracts;
using Aqs.Shared.Kernel;
using Aqs.Shared.Quality.Vmaf;
using Aqs.Shared.Rings;
using Aqs.Shared.Timing;

namespace Aqs.Kernel.Display;

/// <summary>
/// Kernel D, the viewer. Four threads, none waiting for the next: this one decodes <c>rx</c> at whatever rung each
/// frame came (<see cref="DecodeStage"/>) and sends feedback; the keeper copies <c>ref</c> into a
/// <see cref="ReferenceStore"/>; the presenter shows pictures on a display clock and samples what is on screen
/// (<see cref="Presenter"/>); the quality worker measures presented pictures against their sources within a core
/// share (<see cref="QualityWorker"/>), with VMAF on its own worker beside it.
/// </summary>
public sealed class DisplayKernel
{
    private const long FeedbackIntervalNs = 100_000_000;
    private const long KeyframeRequestIntervalNs = 200_000_000;

    private readonly DisplaySettings _settings;
    private readonly LatencyHistogram _decoded = new();
    private readonly DeliveredRate _rate = new();
    private readonly VmafModel? _vmafModel;
    private readonly string? _vmafUnavailable;
    private long _lastDecodedId;
    private long _lastKeyframeRequestNs = long.MinValue / 2;
    private long _keyframeRequests;
    private long _lastFeedbackNs;

    public DisplayKernel(DisplaySettings settings)
    {
        _settings = settings;
        if (!settings.Vmaf)
        {
            _vmafUnavailable = "VMAF off (--vmaf off)";
        }
        else if (!settings.Reference)
        {
            _vmafUnavailable = "VMAF needs the source (--reference off)";
        }
        else if (!VmafModel.TryLoad(settings.VmafModelPath, out _vmafModel, out var reason))
        {
            _vmafUnavailable = reason;
            Say($"{reason}; PQM uses SSIM alone");
        }
    }

    public int Run(KernelLifetime lifetime)
    {
        var session = _settings.Context.Session;
        using var control = ControlPlane.Start(session, KernelRole.Display, ControlOptions());
        lifetime.PublishHeartbeats(control);
        control.Subscribe<Command>(command =>
        {
            if (command.Kind == CommandKind.Stop)
            {
                lifetime.RequestStop("stop command");
            }
        });
        using var rx = FrameReader.Attach(session, "rx", ConsumerPolicy.Reliable, "display", _settings.Context.AttachTimeout);
        using var refReader = _settings.Reference
            ? FrameReader.Attach(session, "ref", ConsumerPolicy.Reliable, "display", _settings.Context.AttachTimeout)
            : null;
        var store = new ReferenceStore(_settings.ReferenceKeep, _settings.ReferenceMemoryBytes);
        using var keeper = refReader is null ? null : new ReferenceKeeper(refReader, store);
        using var frameLog = _settings.FramesJsonl is { } path ? new FrameLog(path) : null;
        var refresh = TimeSpan.FromSeconds(1.0 / _settings.RefreshHz);
        using var renderer = CreateRenderer(store, refReader is not null);
        using var quality = refReader is null
            ? null
            : new QualityWorker(store, _settings.MetricsCoreShare, () => (_rate.Kbps, _rate.Fps), frameLog, _vmafModel,
                _settings.VmafCoreShare, _settings.Gpu, Say);
        var core = new PresentationCore(new JitterBuffer(_settings.JitterBuffer, _settings.JitterFixed, refresh, _settings.JitterQuantile, _settings.JitterMax));
        var pool = new PicturePool();
        using var decode = new DecodeStage(pool);
        var presenter = new Presenter(core, refresh, renderer, quality, refReader is null ? null : store, Say, frameLog,
            renderer is { OnCpu: true } ? _settings.Render.CpuShare ?? RenderSettings.DefaultCpuShare : 1.0);
        var active = new Stopwatch();
        void Show(Picture picture)
        {
            _decoded.Record(picture.ReadyNs - picture.CaptureNs);
            _lastDecodedId = picture.FrameId;
            presenter.Enqueue(picture);
        }
        try
        {
            while (presenter.WindowOpen)
            {
                control.Poll(TimeSpan.Zero);
                var step = rx.Next(lifetime, TimeSpan.FromMilliseconds(20), out var slot);
                if (step == InputStep.End)
                {
                    break;
                }
                if (!decode.Tick(MonotonicClock.NowNs))
                {
                    SayProblem(decode.LastProblem);
                    RequestKeyframe(control, MonotonicClock.NowNs);
                }
                if (step == InputStep.Frame)
                {
                    active.Start();
                    ref readonly var header = ref slot.Header;
                    _rate.OnFrame(header.PayloadLength);
                    var now = MonotonicClock.NowNs;
                    // rx User3: the sender's clock mapped onto ours by kernel-network's receive side (0 on one host).
                    var healthy = decode.Decode(header, slot.Payload[..header.PayloadLength], header.CaptureTimeNs + header.User3, now, Show);
                    rx.Release();
                    if (!healthy)
                    {
                        SayProblem(decode.LastProblem);
                        RequestKeyframe(control, now);
                    }
                }
                PublishFeedback(control, presenter, quality);
            }
            decode.Drain(MonotonicClock.NowNs, Show);
            presenter.Finish();
            quality?.Drain();
        }
        finally
        {
            active.Stop();
            presenter.Dispose();
        }
        var totals = quality?.Totals();
        var vmaf = quality?.Vmaf;
        var figures = presenter.Read(c => new
        {
            c.FramesPresented,
            c.FramesSkipped,
            c.FramesTooLate,
            c.FramesLate,
            c.Refreshes,
            c.Freezes.Freezes,
            c.Freezes.FreezeMs,
            c.Freezes.LongestFreezeMs,
            AgeP50 = c.Age.PercentileMs(50),
            AgeP95 = c.Age.PercentileMs(95),
            AgeP99 = c.Age.PercentileMs(99),
            AgeMax = c.Age.MaxMs,
            AgeBuckets = c.Age.Buckets(),
            PresentedP50 = c.Presented.PercentileMs(50),
            PresentedP95 = c.Presented.PercentileMs(95),
            PresentedP99 = c.Presented.PercentileMs(99),
            BufferMean = c.BufferSize.MeanMs,
            BufferMax = c.BufferSize.MaxMs,
        });
        KernelSummary.Print("kernel-display", new Dictionary<string, object?>
        {
            ["frames_decoded"] = decode.FramesDecoded,
            ["frames_displayed"] = figures.FramesPresented,
            ["frames_presented"] = figures.FramesPresented,
            ["frames_skipped_display"] = figures.FramesSkipped,
            ["frames_too_late"] = figures.FramesTooLate,
            ["frames_late"] = figures.FramesLate,
            ["frames_measured"] = totals?.Measured ?? 0,
            ["frames_unmeasured_sampled"] = totals?.SampledOut,
            ["frames_unmeasured_no_reference"] = totals?.NoReference,
            ["frames_unmatched"] = totals?.NoReference ?? 0,
            ["metrics_core_share"] = quality?.CoreShare,
            ["bad_references"] = totals?.BadReference,
            ["bad_reference_reason"] = totals?.BadReferenceReason,
            ["color_mismatches"] = totals?.ColorMismatches ?? 0,
            ["decoded_color"] = totals?.ShownColor is { } c ? $"range {c.Range}, primaries {c.Primaries}, transfer {c.Transfer}, matrix {c.Matrix}" : null,
            ["decode_errors"] = decode.DecodeErrors,
            ["frames_skipped_until_keyframe"] = decode.SkippedUntilKeyframe,
            ["missing_references"] = decode.MissingReferences,
            ["frames_reordered"] = decode.FramesReordered,
            ["keyframe_requests"] = _keyframeRequests,
            ["rung_switches"] = decode.RungSwitches,
            ["decoder_reopens"] = decode.DecoderReopens,
            ["frames_scaled_to_source"] = totals?.Scaled,
            ["latency_ms_p50"] = _decoded.PercentileMs(50),
            ["latency_ms_p95"] = _decoded.PercentileMs(95),
            ["latency_ms_p99"] = _decoded.PercentileMs(99),
            ["age_ms_p50"] = figures.AgeP50,
            ["age_ms_p95"] = figures.AgeP95,
            ["age_ms_p99"] = figures.AgeP99,
            ["age_ms_max"] = figures.AgeMax,
            ["age_ms_histogram"] = figures.AgeBuckets,
            ["presented_ms_p50"] = figures.PresentedP50,
            ["presented_ms_p95"] = figures.PresentedP95,
            ["presented_ms_p99"] = figures.PresentedP99,
            ["refresh_hz"] = _settings.RefreshHz,
            ["refreshes"] = figures.Refreshes,
            ["missed_refreshes"] = presenter.MissedRefreshes,
            ["freezes"] = figures.Freezes,
            ["freeze_ms"] = figures.FreezeMs,
            ["longest_freeze_ms"] = figures.LongestFreezeMs,
            ["jitter_buffer"] = _settings.JitterBuffer.ToString().ToLowerInvariant(),
            ["jitter_buffer_ms_mean"] = figures.BufferMean,
            ["jitter_buffer_ms_max"] = figures.BufferMax,
            ["psnr_mean"] = totals?.PsnrMean,
            ["ssim_mean"] = totals?.SsimMean,
            ["ssim_db_mean"] = totals?.SsimDbMean,
            ["onscreen_ssim_mean"] = totals?.OnScreenSsimMean,
            ["onscreen_refreshes_scored"] = totals?.OnScreenScored,
            ["onscreen_refreshes_stale"] = totals?.OnScreenStale,
            ["metrics_device"] = totals?.Device,
            ["metrics_failure"] = totals?.Failure,
            ["vmaf_device"] = vmaf?.Device,
            ["vmaf_mean"] = vmaf is { Scored: > 0 } v ? v.Mean : null,
            ["vmaf_p5"] = vmaf is { Scored: > 0 } v5 ? v5.Percentile(5) : null,
            ["frames_vmaf_scored"] = vmaf?.Scored ?? 0,
            ["frames_vmaf_skipped"] = vmaf?.Skipped ?? 0,
            ["vmaf_unavailable"] = _vmafUnavailable ?? vmaf?.Failure,
            ["pqm_mean"] = totals?.PqmMean,
            ["pqm_with_vmaf"] = totals?.PqmWithVmaf ?? 0,
            ["references_kept"] = refReader is null ? null : store.Added,
            ["references_evicted"] = refReader is null ? null : store.Evicted,
            ["references_span_ms_max"] = refReader is null ? null : store.MaxSpanMs,
            ["references_mib_max"] = refReader is null ? null : store.MaxBytes / (1024.0 * 1024.0),
            ["reference_failure"] = keeper?.Failure,
            ["render_device"] = renderer?.Device,
            ["render_ms_mean"] = presenter.RenderMsMean,
            ["frames_rendered"] = renderer is null ? null : presenter.Rendered,
            ["frames_unrendered"] = renderer is null ? null : presenter.RenderSkipped,
            ["render_core_share"] = presenter.RenderShare,
            ["render_failure"] = presenter.RenderFailure,
            ["active_s"] = active.Elapsed.TotalSeconds,
        });
        return 0;
    }

    /// <summary>The renderer, or a one-line error naming what to install when Vulkan cannot start (only --render off goes on without).</summary>
    private IFrameRenderer? CreateRenderer(ReferenceStore store, bool haveSource)
    {
        if (!_settings.Render.Enabled)
        {
            return null;
        }
        var size = _settings.Render.Size;
        if (size is null && _settings.Render.Window && haveSource)
        {
            // The window is as large as the source: wait briefly for the first reference to say how large that is.
            var deadline = MonotonicClock.NowNs + 2_000_000_000L;
            while (store.SourceLayout is null && MonotonicClock.NowNs < deadline)
            {
                Thread.Sleep(10);
            }
            size = store.SourceLayout is { } l ? (l.Width, l.Height) : null;
        }
        try
        {
            var renderer = RendererFactory.Create(_settings.Render, () => store.SourceLayout, Say, size ?? (1280, 720));
            Say($"rendering with {renderer!.Device}");
            return renderer;
        }
        catch (VulkanUnavailableException ex)
        {
            throw new UserFacingException($"cannot render: {ex.Message}", CommandLineHost.ExitFailure);
        }
    }

    private void PublishFeedback(ControlPlane control, Presenter presenter, QualityWorker? quality)
    {
        var now = MonotonicClock.NowNs;
        if (now - _lastFeedbackNs < FeedbackIntervalNs)
        {
            return;
        }
        _lastFeedbackNs = now;
        var (viewer, presented, skipped, freezes, freezeMs, shown) = presenter.Read(c =>
            (c.TakeWindow(now), c.FramesPresented, c.FramesSkipped + c.FramesTooLate, c.Freezes.Freezes, c.Freezes.FreezeMs, c.OnScreen?.Layout));
        var window = quality?.TakeWindow() ?? QualityWindow.Empty;
        control.Publish(new QualityFeedback
        {
            TimestampNs = now,
            FrameId = window.Measured > 0 ? window.LastFrameId : _lastDecodedId,
            FirstFrameId = window.Measured > 0 ? window.FirstFrameId : _lastDecodedId,
            FramesMeasured = window.Measured,
            Ssim = window.Ssim,
            PsnrDb = window.Psnr,
            Vmaf = window.Vmaf,
            Pqm = window.Pqm,
            LatencyMs = viewer.AgeMeanMs,
            LatencyP95Ms = viewer.AgeP95Ms,
            FramesDisplayed = presented,
            FramesDropped = skipped,
            Freezes = freezes,
            FreezeMs = freezeMs,
            // The rung decoded: of the newest measured picture, else of the picture on screen.
            Width = window.Measured > 0 ? window.Width : shown?.Width ?? 0,
            Height = window.Measured > 0 ? window.Height : shown?.Height ?? 0,
            Fps = viewer.WindowNs > 0 ? viewer.Presented / (viewer.WindowNs / 1e9) : double.NaN,
            WindowMs = viewer.WindowNs / 1e6,
        });
    }

    private void RequestKeyframe(ControlPlane control, long nowNs)
    {
        if (nowNs - _lastKeyframeRequestNs < KeyframeRequestIntervalNs)
        {
            return;
        }
        _lastKeyframeRequestNs = nowNs;
        _keyframeRequests++;
        control.Publish(new KeyframeRequest
        {
            TimestampNs = nowNs,
            From = KernelRole.Display,
            LastGoodFrameId = _lastDecodedId,
            Reason = "decoder lost its reference",
        });
    }

    /// <summary>The first damaged frames are named in the log (then every 100th), so a user can tell loss from reordering.</summary>
    private void SayProblem(string? problem)
    {
        if (problem is not null && problem != _lastProblem && (++_problems <= 10 || _problems % 100 == 0))
        {
            Say($"{problem}; asking for a keyframe (damaged frame {_problems})");
        }
        _lastProblem = problem;
    }

    private long _problems;
    private string? _lastProblem;

    private static void Say(string line) => Console.Error.WriteLine($"kernel-display: {line}");

    private ControlPlaneOptions? ControlOptions() =>
        _settings.Context.ControlPort is { } port ? new ControlPlaneOptions(port) : null;
}
