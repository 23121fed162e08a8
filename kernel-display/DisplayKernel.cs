using System.Diagnostics;
using Aqs.Shared.Compression;
using Aqs.Shared.Contracts;
using Aqs.Shared.Frames;
using Aqs.Shared.Gpu;
using Aqs.Shared.Kernel;
using Aqs.Shared.Media;
using Aqs.Shared.Quality;
using Aqs.Shared.Quality.Vmaf;
using Aqs.Shared.Rings;
using Aqs.Shared.Timing;
using HdrHistogram;

namespace Aqs.Kernel.Display;

/// <summary>
/// Kernel D's loop: decode each received frame, find its reference by frame id, measure PSNR, SSIM
/// and capture→decoded latency, and send QualityFeedback to the encoder.
/// </summary>
public sealed class DisplayKernel
{
    private readonly DisplaySettings _settings;
    private readonly LongHistogram _latencyUs = new(TimeStamp.Seconds(60) / 1000, 3);
    private readonly RefFrameExpander _refFrames = new(); // ref slots may be compressed (kernel-preprocess --ref-compression)
    private long _displayed;
    private long _lastDecodedId;
    private long _unmatched;
    private long _measured;
    private long _badReferences;
    private long _unmeasuredBehind;
    private long _colorMismatches;
    private ColorDescription? _shownColor;
    private string? _lastBadReference;
    private double _psnrSum;
    private double _ssimSum;
    private FrameQualityPass? _quality;
    private FrameLayout _layout;
    private readonly DeliveredRate _rate = new();
    private double _pqmSum;
    private long _pqmCount;
    private long _pqmWithVmaf;
    private readonly VmafModel? _vmafModel;
    private readonly string? _vmafUnavailable;
    private VmafSampler? _vmaf;
    private GpuContext? _gpu;
    private bool _gpuProbed;

    public DisplayKernel(DisplaySettings settings)
    {
        _settings = settings;
        if (!settings.Vmaf)
        {
            _vmafUnavailable = "VMAF off (--vmaf off)";
        }
        else if (!VmafModel.TryLoad(settings.VmafModelPath, out _vmafModel, out var reason))
        {
            _vmafUnavailable = reason;
            Console.Error.WriteLine($"kernel-display: {reason}; PQM uses SSIM alone");
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
        using var reference = FrameReader.Attach(session, "ref", ConsumerPolicy.Reliable, "display", _settings.Context.AttachTimeout);
        var matcher = new ReferenceMatcher(reference, TimeSpan.FromMilliseconds(500));
        VideoDecoder? decoder = null;
        var active = new Stopwatch();
        var lastFeedback = Stopwatch.StartNew();
        try
        {
            while (true)
            {
                control.Poll(TimeSpan.Zero);
                reference.Heartbeat();
                var step = rx.Next(lifetime, TimeSpan.FromMilliseconds(100), out var slot);
                if (step == InputStep.End)
                {
                    break;
                }
                if (step == InputStep.Idle)
                {
                    continue;
                }
                decoder ??= VideoDecoder.Open(slot.Header.Codec);
                active.Start();
                _rate.OnFrame(slot.Header.PayloadLength);
                var ok = decoder.Send(slot.Payload[..slot.Header.PayloadLength], slot.Header.FrameId);
                rx.Release();
                if (!ok)
                {
                    RequestKeyframe(control);
                }
                while (decoder.TryReceive(out var frame))
                {
                    OnDecoded(frame, matcher, control, lastFeedback);
                }
            }
        }
        finally
        {
            active.Stop();
            matcher.Release();
            _vmaf?.Dispose();
        }
        var measuredOn = _quality?.Device;
        _quality?.Dispose();
        _gpu?.Dispose();
        KernelSummary.Print("kernel-display", new Dictionary<string, object?>
        {
            ["frames_decoded"] = decoder?.FramesDecoded ?? 0,
            ["frames_displayed"] = _displayed,
            ["frames_unmatched"] = _unmatched,
            ["frames_measured"] = _measured,
            ["bad_references"] = _badReferences,
            ["frames_unmeasured_behind"] = _unmeasuredBehind,
            ["color_mismatches"] = _colorMismatches,
            ["decoded_color"] = _shownColor is { } c ? $"range {c.Range}, primaries {c.Primaries}, transfer {c.Transfer}, matrix {c.Matrix}" : null,
            ["bad_reference_reason"] = _lastBadReference,
            ["decode_errors"] = (decoder?.CorruptPackets ?? 0) + (decoder?.DecodeErrors ?? 0),
            ["latency_ms_p50"] = Percentile(50),
            ["latency_ms_p95"] = Percentile(95),
            ["latency_ms_p99"] = Percentile(99),
            ["psnr_mean"] = _measured > 0 ? _psnrSum / _measured : null,
            ["ssim_mean"] = _measured > 0 ? _ssimSum / _measured : null,
            ["metrics_device"] = measuredOn,
            ["vmaf_device"] = _vmaf?.Device,
            ["vmaf_mean"] = _vmaf is { Scored: > 0 } v ? v.Mean : null,
            ["frames_vmaf_scored"] = _vmaf?.Scored ?? 0,
            ["frames_vmaf_skipped"] = _vmaf?.Skipped ?? 0,
            ["vmaf_unavailable"] = _vmafUnavailable ?? _vmaf?.Failure,
            ["pqm_mean"] = _pqmCount > 0 ? _pqmSum / _pqmCount : null,
            ["pqm_with_vmaf"] = _pqmWithVmaf,
            ["active_s"] = active.Elapsed.TotalSeconds,
        });
        decoder?.Dispose();
        _refFrames.Dispose();
        return 0;
    }

    private void OnDecoded(in DecodedFrame frame, ReferenceMatcher matcher, ControlPlane control, Stopwatch lastFeedback)
    {
        var frameId = frame.Pts;
        _lastDecodedId = frameId;
        if (!matcher.TryFind(frameId, out var refSlot))
        {
            _unmatched++;
            return;
        }
        var latencyNs = MonotonicClock.NowNs - refSlot.Header.CaptureTimeNs;
        CheckColor(frame.Color, refSlot.Header);
        _latencyUs.RecordValue(Math.Max(0, latencyNs / 1000));
        _displayed++;
        var refLayout = new FrameLayout(refSlot.Header.Width, refSlot.Header.Height, refSlot.Header.Format);
        if (frame.View.Layout != refLayout)
        {
            // A different rung: quality against the source needs scaling first (the AQS issue adds it).
            _unmatched++;
            matcher.Release();
            return;
        }
        // Decoding must keep up; measuring may not. A frame already later than the budget is shown
        // unmeasured so that the display catches up instead of backing up the rx ring (which would
        // make the network kernel drop frames and the decoder lose references).
        if (latencyNs > _settings.MetricsLatencyBudget.TotalNanoseconds)
        {
            _unmeasuredBehind++;
        }
        else if (_displayed % _settings.MetricsEvery == 0)
        {
            if (_quality is null || _layout != refLayout)
            {
                _layout = refLayout;
                _quality?.Dispose();
                // Looked for at the first measured frame, so a kernel that never gets one starts no accelerator.
                if (_settings.Gpu && !_gpuProbed)
                {
                    _gpuProbed = true;
                    _gpu = GpuContext.TryCreate(line => Console.Error.WriteLine($"kernel-display: {line}"));
                }
                _quality = new FrameQualityPass(refLayout, gpu: _gpu);
                StartVmaf(refLayout);
            }
            ReadOnlySpan<byte> packed;
            try
            {
                packed = _refFrames.Packed(refSlot.Header, refSlot.Payload, refLayout.FrameSize);
            }
            catch (InvalidDataException ex)
            {
                // A damaged compressed reference is counted, never fatal: this frame goes unmeasured.
                _badReferences++;
                _lastBadReference ??= ex.Message;
                matcher.Release();
                return;
            }
            var reference = PlanarFrame.FromPacked(refLayout, packed);
            var (ssim, psnr, _) = _quality.Compute(reference, frame.View);
            _psnrSum += psnr.Average;
            _ssimSum += ssim.All;
            _measured++;
            _vmaf?.Offer(frameId, reference, frame.View);
            // The newest VMAF score (a few frames old: it is scored beside the display loop); without one,
            // PQM falls back to its SSIM term (Pqm.UsesSsimOnly).
            var vmaf = _vmaf is not null && _vmaf.TryGetLatest(out _, out var latest) ? latest : double.NaN;
            var pqm = double.IsNaN(_rate.Kbps) ? double.NaN : Pqm.Compute(ssim.All, vmaf, _rate.Kbps, _rate.Fps);
            if (!double.IsNaN(pqm))
            {
                _pqmSum += pqm;
                _pqmCount++;
                _pqmWithVmaf += Pqm.UsesSsimOnly(vmaf) ? 0 : 1;
            }
            if (lastFeedback.ElapsedMilliseconds >= 50)
            {
                lastFeedback.Restart();
                control.Publish(new QualityFeedback
                {
                    TimestampNs = MonotonicClock.NowNs,
                    FrameId = frameId,
                    Ssim = ssim.All,
                    PsnrDb = psnr.Average,
                    Vmaf = vmaf,
                    LatencyMs = latencyNs / 1e6,
                    Pqm = pqm,
                    Fps = _rate.Fps,
                    FramesDisplayed = _displayed,
                    FirstFrameId = frameId,
                    FramesMeasured = 1,
                    Width = refLayout.Width,
                    Height = refLayout.Height,
                });
            }
        }
        matcher.Release();
    }

    private void StartVmaf(FrameLayout layout)
    {
        if (_vmafModel is null)
        {
            return;
        }
        _vmaf?.Dispose();
        _vmaf = null;
        if (layout.Width < VmafMetric.MinimumSize || layout.Height < VmafMetric.MinimumSize)
        {
            return;
        }
        _vmaf = new VmafSampler(_vmafModel, layout, _settings.VmafCoreShare, _gpu);
    }

    /// <summary>The colour the viewer's decoder sees must be the colour the source declared.</summary>
    private void CheckColor(ColorDescription shown, in SlotHeader source)
    {
        var declared = new ColorDescription(source.ColorRange, source.ColorPrimaries, source.ColorTransfer, source.ColorMatrix);
        _shownColor = shown;
        if (declared != default && declared != ColorDescription.Unknown && shown != declared)
        {
            _colorMismatches++;
        }
    }

    private void RequestKeyframe(ControlPlane control) =>
        control.Publish(new KeyframeRequest
        {
            TimestampNs = MonotonicClock.NowNs,
            From = KernelRole.Display,
            LastGoodFrameId = _lastDecodedId,
            Reason = "decoder lost its reference",
        });

    private double? Percentile(double p) =>
        _latencyUs.TotalCount > 0 ? _latencyUs.GetValueAtPercentile(p) / 1000.0 : null;

    private ControlPlaneOptions? ControlOptions() =>
        _settings.Context.ControlPort is { } port ? new ControlPlaneOptions(port) : null;
}
