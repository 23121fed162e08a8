using Aqs.Kernel.Display.Pictures;
using Aqs.Kernel.Display.References;
using Aqs.Shared.Compression;
using Aqs.Shared.Frames;
using Aqs.Shared.Gpu;
using Aqs.Shared.Media;
using Aqs.Shared.Quality;
using Aqs.Shared.Quality.Vmaf;
using Aqs.Shared.Timing;

namespace Aqs.Kernel.Display.Measurement;

/// <summary>
/// Measures what the viewer saw, on its own thread and within a stated share of one core, however late the
/// pictures were: each presented picture, scaled to its source's size and format with libswscale when it came at
/// another rung, against its source frame from the <see cref="ReferenceStore"/> (SSIM, SSIM dB, PSNR in one pass;
/// VMAF offered to the <see cref="VmafSampler"/>); and at refreshes the picture on screen against the source frame
/// due then, so a frozen picture scores as the viewer experiences it. The presenter only offers: when the queue is
/// full or the share is spent the offer is refused and counted (sampling), so presentation never waits. A picture
/// whose source is no longer kept is counted unmeasured, never held back.
/// </summary>
public sealed class QualityWorker : BudgetedWorker<QualityWorker.Job>
{
    private const int QueueSlots = 6;

    private readonly ReferenceStore _references;
    private readonly Queue<Job> _jobs = new(QueueSlots);
    private readonly Func<(double Kbps, double Fps)> _rate;
    private readonly FrameLog? _log;
    private readonly VmafModel? _vmafModel;
    private readonly double _vmafShare;
    private readonly bool _useGpu;
    private readonly Action<string> _say;
    private readonly RefFrameExpander _expander = new();
    private readonly Dictionary<(FrameLayout, FrameLayout, bool FromFull, bool ToFull), VideoScaler> _scalers = [];
    private byte[] _scaled = [];
    private FrameQualityPass? _pass;
    private VmafSampler? _vmaf;
    private GpuContext? _gpu;
    private bool _gpuProbed;
    private long _lastPresentedId = -1;

    // Totals (worker thread writes, readers take _gate).
    private long _offered;
    private long _measured;
    private long _sampledOut;
    private long _noReference;
    private long _badReference;
    private long _scaledFrames;
    private double _ssimSum;
    private double _ssimDbSum;
    private double _psnrSum;
    private double _pqmSum;
    private long _pqmCount;
    private long _pqmWithVmaf;
    private long _onScreenOffered;
    private long _onScreenScored;
    private long _onScreenStale;
    private double _onScreenSsimSum;
    private string? _badReferenceReason;
    private long _colorMismatches;
    private ColorDescription? _shownColor;
    private string? _failure;
    private QualityWindow _window = QualityWindow.Empty;

    public QualityWorker(ReferenceStore references, double coreShare, Func<(double Kbps, double Fps)> rate, FrameLog? log,
        VmafModel? vmafModel, double vmafShare, bool useGpu, Action<string> say)
        : base("quality", coreShare)
    {
        _references = references;
        _rate = rate;
        _log = log;
        _vmafModel = vmafModel;
        _vmafShare = vmafShare;
        _useGpu = useGpu;
        _say = say;
        // Below the decoder and the presenter (BudgetedWorker's default): when the cores are short, the viewer's pictures come first.
        Start();
    }

    /// <summary>A picture was presented: measure it against its own source if there is room (presenter thread).</summary>
    public void OfferPresented(Picture picture)
    {
        lock (Gate)
        {
            _offered++;
            _lastPresentedId = picture.FrameId;
            if (_failure is not null || _jobs.Count >= QueueSlots || !HasCredit())
            {
                _sampledOut++;
                return;
            }
            picture.AddRef();
            _jobs.Enqueue(new Job(picture, null, false));
            Wake();
        }
    }

    /// <summary>
    /// A refresh showed <paramref name="shown"/> while the source frame due was the newest captured at or before
    /// <paramref name="dueCaptureNs"/>: score that pair if there is room (presenter thread).
    /// </summary>
    public void OfferOnScreen(Picture shown, long dueCaptureNs)
    {
        lock (Gate)
        {
            _onScreenOffered++;
            // Per-frame jobs first: an on-screen pair takes only spare room.
            if (_failure is not null || _jobs.Count >= QueueSlots / 2 || !HasCredit())
            {
                return;
            }
        }
        if (!_references.TryAcquireDue(dueCaptureNs, out var due))
        {
            return;
        }
        lock (Gate)
        {
            shown.AddRef();
            _jobs.Enqueue(new Job(shown, due, true));
            Wake();
        }
    }

    /// <summary>The figures since the last call (QualityFeedback's window), then a new window starts.</summary>
    public QualityWindow TakeWindow()
    {
        QualityWindow window;
        lock (Gate)
        {
            window = _window;
            _window = QualityWindow.Empty;
        }
        if (_vmaf is { } vmaf)
        {
            var (sum, count) = vmaf.TakeWindow();
            window = window with { Vmaf = count > 0 ? sum / count : double.NaN };
        }
        return window;
    }

    /// <summary>Waits until every accepted job is done, VMAF included (the end of a stream).</summary>
    public new void Drain()
    {
        base.Drain();
        _vmaf?.Drain();
    }

    public QualityTotals Totals()
    {
        lock (Gate)
        {
            return new QualityTotals
            {
                Offered = _offered,
                Measured = _measured,
                SampledOut = _sampledOut,
                NoReference = _noReference,
                BadReference = _badReference,
                BadReferenceReason = _badReferenceReason,
                Scaled = _scaledFrames,
                SsimMean = _measured > 0 ? _ssimSum / _measured : null,
                SsimDbMean = _measured > 0 ? _ssimDbSum / _measured : null,
                PsnrMean = _measured > 0 ? _psnrSum / _measured : null,
                PqmMean = _pqmCount > 0 ? _pqmSum / _pqmCount : null,
                PqmWithVmaf = _pqmWithVmaf,
                OnScreenOffered = _onScreenOffered,
                OnScreenScored = _onScreenScored,
                OnScreenStale = _onScreenStale,
                OnScreenSsimMean = _onScreenScored > 0 ? _onScreenSsimSum / _onScreenScored : null,
                Device = _pass?.Device,
                ColorMismatches = _colorMismatches,
                ShownColor = _shownColor,
                Failure = _failure,
            };
        }
    }

    public VmafSampler? Vmaf => _vmaf;

    protected override bool HasWork => _jobs.Count > 0;

    protected override bool Failed => _failure is not null;

    protected override bool TryTake([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Job? job) => _jobs.TryDequeue(out job);

    /// <summary>Idle: nothing queued can need a source older than the newest presented picture.</summary>
    protected override void Idle()
    {
        if (_lastPresentedId >= 0)
        {
            _references.PassBefore(_lastPresentedId);
        }
    }

    protected override void Process(Job job)
    {
        try
        {
            if (job.OnScreen)
            {
                ScoreOnScreen(job.Picture, job.Due!);
            }
            else
            {
                Measure(job.Picture);
            }
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or AvException)
        {
            lock (Gate)
            {
                _failure = $"quality measurement stopped: {ex.Message}";
            }
            _say(_failure);
        }
        finally
        {
            Discard(job);
        }
    }

    protected override void Discard(Job job)
    {
        job.Picture.Release();
        if (job.Due is not null)
        {
            _references.Release(job.Due);
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        _vmaf?.Dispose();
        _pass?.Dispose();
        foreach (var scaler in _scalers.Values)
        {
            scaler.Dispose();
        }
        _expander.Dispose();
        _gpu?.Dispose();
    }

    private void Measure(Picture picture)
    {
        if (!_references.TryAcquire(picture.FrameId, out var reference))
        {
            lock (Gate)
            {
                _noReference++;
            }
            return;
        }
        try
        {
            CheckColor(picture.Color, reference.Color);
            if (!TryCompare(picture, reference, offerVmaf: true, out var ssim, out var psnr))
            {
                return;
            }
            picture.Ssim = ssim;
            var ssimDb = Decibels.Ssim(ssim);
            // The newest VMAF score (a few frames old: it is scored beside this worker); without one, PQM falls
            // back to its SSIM term (Pqm.UsesSsimOnly).
            var vmaf = _vmaf is not null && _vmaf.TryGetLatest(out _, out var latest) ? latest : double.NaN;
            var (kbps, fps) = _rate();
            var pqm = double.IsNaN(kbps) ? double.NaN : Pqm.Compute(ssim, vmaf, kbps, fps);
            lock (Gate)
            {
                _measured++;
                _ssimSum += ssim;
                _ssimDbSum += ssimDb;
                _psnrSum += psnr;
                if (!double.IsNaN(pqm))
                {
                    _pqmSum += pqm;
                    _pqmCount++;
                    _pqmWithVmaf += Pqm.UsesSsimOnly(vmaf) ? 0 : 1;
                }
                _window = _window.Add(picture, ssim, psnr, pqm);
            }
            _log?.Quality(picture.FrameId, onScreen: false, picture.FrameId, ssim, ssimDb, psnr);
        }
        finally
        {
            _references.Release(reference);
        }
        _references.PassBefore(picture.FrameId);
    }

    private void ScoreOnScreen(Picture shown, ReferenceFrame due)
    {
        double ssim;
        if (due.FrameId == shown.FrameId && !double.IsNaN(shown.Ssim))
        {
            ssim = shown.Ssim; // the viewer sees the right frame: its own score
        }
        else if (!TryCompare(shown, due, offerVmaf: false, out ssim, out var psnr))
        {
            return;
        }
        else
        {
            _log?.Quality(shown.FrameId, onScreen: true, due.FrameId, ssim, Decibels.Ssim(ssim), psnr);
        }
        lock (Gate)
        {
            _onScreenScored++;
            _onScreenStale += due.FrameId != shown.FrameId ? 1 : 0;
            _onScreenSsimSum += ssim;
        }
    }

    /// <summary>
    /// The colour the viewer's decoder sees must be the colour the source declared; the range may differ (the sender's
    /// <c>--color-range</c>), since measurement converts it.
    /// </summary>
    private void CheckColor(ColorDescription shown, ColorDescription declared)
    {
        lock (Gate)
        {
            _shownColor = shown;
            if (declared != default && declared != ColorDescription.Unknown && shown with { Range = declared.Range } != declared)
            {
                _colorMismatches++;
            }
        }
    }

    private bool TryCompare(Picture picture, ReferenceFrame reference, bool offerVmaf, out double ssim, out double psnr)
    {
        ssim = psnr = double.NaN;
        var refLayout = reference.Layout;
        ReadOnlySpan<byte> packed;
        try
        {
            packed = reference.Packed(_expander);
        }
        catch (InvalidDataException ex)
        {
            // A damaged compressed reference is counted, never fatal: this frame goes unmeasured.
            lock (Gate)
            {
                _badReference++;
                _badReferenceReason ??= ex.Message;
            }
            return false;
        }
        var source = PlanarFrame.FromPacked(refLayout, packed);
        var distorted = ToReferenceLayout(picture, refLayout, reference.Color);
        var pass = PassFor(refLayout);
        var (s, p, _) = pass.Compute(source, distorted);
        ssim = s.All;
        psnr = p.Average;
        if (offerVmaf)
        {
            _vmaf?.Offer(picture.FrameId, source, distorted);
        }
        return true;
    }

    /// <summary>
    /// The picture as the source's layout and sample range: itself when it came at the source's rung and range, else
    /// converted by libswscale (a stream sent with another <c>--color-range</c> is compared as the viewer sees it).
    /// </summary>
    private PlanarFrame ToReferenceLayout(Picture picture, FrameLayout refLayout, ColorDescription refColor)
    {
        var fromFull = picture.Color.IsFullRange;
        var toFull = refColor.IsFullRange;
        if (picture.Layout == refLayout && fromFull == toFull)
        {
            return picture.View;
        }
        if (!_scalers.TryGetValue((picture.Layout, refLayout, fromFull, toFull), out var scaler))
        {
            scaler = fromFull == toFull
                ? new VideoScaler(picture.Layout, refLayout, ScaleQuality.Bicubic)
                : new VideoScaler(picture.Layout, refLayout, ScaleQuality.Bicubic, fromFull, toFull);
            _scalers[(picture.Layout, refLayout, fromFull, toFull)] = scaler;
        }
        if (_scaled.Length < refLayout.FrameSize)
        {
            _scaled = new byte[refLayout.FrameSize];
        }
        scaler.Scale(picture.View, _scaled);
        lock (Gate)
        {
            _scaledFrames++;
        }
        return PlanarFrame.FromPacked(refLayout, _scaled);
    }

    private FrameQualityPass PassFor(FrameLayout layout)
    {
        if (_pass is not null && _pass.Layout == layout)
        {
            return _pass;
        }
        _pass?.Dispose();
        // Looked for at the first measured frame, so a kernel that never gets one starts no accelerator.
        if (_useGpu && !_gpuProbed)
        {
            _gpuProbed = true;
            _gpu = GpuContext.TryCreate(line => _say(line));
            _gpu?.Accelerator.Bind();
        }
        _pass = new FrameQualityPass(layout, gpu: _gpu);
        StartVmaf(layout);
        return _pass;
    }

    private void StartVmaf(FrameLayout layout)
    {
        _vmaf?.Dispose();
        _vmaf = null;
        if (_vmafModel is null || layout.Width < VmafMetric.MinimumSize || layout.Height < VmafMetric.MinimumSize)
        {
            return;
        }
        _vmaf = new VmafSampler(_vmafModel, layout, _vmafShare, _gpu);
    }

    /// <summary>A presented picture to measure against its own source, or an on-screen pair (picture, due source).</summary>
    public sealed record Job(Picture Picture, ReferenceFrame? Due, bool OnScreen);
}
