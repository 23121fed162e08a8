using System.Globalization;
using Aqs.Engine.Analysis;
using Aqs.Engine.Config;
using Aqs.Engine.Load;
using Aqs.Engine.Rate;
using Aqs.Engine.Rungs;

namespace Aqs.Engine;

/// <summary>
/// The Adaptive Quality Scaling engine (seed sections 2-4, ARCHITECTURE §7) as a library: no rings, sockets or
/// codecs inside, and no clock — every input carries its time. The host feeds it frames
/// (<see cref="ProcessFrame"/>), what the network kernel measured, what the display measured
/// (<see cref="OnQuality"/>), what the encoder made (<see cref="OnEncoded"/>) and the machine's load
/// (<see cref="OnHardware"/>); for each frame it answers with an <see cref="AqsDecision"/>.
/// <para>Two time scales (Salsify's lesson): every frame, the link budget decides whether the frame may be sent at
/// all without building a queue; every 100 ms, the rung (size, rate, depth) and the bitrate are chosen by
/// rate-distortion cost over a quality model that learns from the display's measurements, and the PID steers
/// the encoder toward that bitrate. Load beyond the encoder's means is shed in the order the mode prefers.</para>
/// Single-threaded: call everything from the encode loop.
/// </summary>
public sealed class AqsEngine : IDisposable
{
    private const long ChooseIntervalNs = 100_000_000;
    private const long RefreshNs = 500_000_000;
    private const long KeyframeGapNs = 500_000_000;
    private const long KeepAliveNs = 150_000_000;
    private const int KeepAliveBytes = 16_000;

    /// <summary>Bytes in flight beyond this many windows mean the path has stopped draining (an outage).</summary>
    private const double StuckWindows = 1.5;
    private const int MinFrameBytes = 300;
    private const double FloorBps = 50_000;
    private const int FrameMemory = 4096;

    private readonly EncoderHardware _hardware;
    private readonly Action<string> _log;
    private readonly HashSet<string> _said = [];
    private AqsConfig _config;
    private ContentAnalyzer _analyzer;
    private readonly LinkBudget _link = new();
    private readonly RungChooser _chooser = new();
    private BitrateController? _rate;
    private LoadGovernor? _load;
    private ResolvedConfig? _resolved;
    private RungLadder? _ladder;
    private SourceInfo _source;
    private bool _reresolve;
    private string? _paramsChange;

    private RungChoice _choice;
    private Rung? _encodingRung;
    // Far enough in the past for the first frame, near enough that "now - it" cannot overflow.
    private long _lastChooseNs = long.MinValue / 2;
    private long _lastKeptPtsNs = long.MinValue;
    private long _lastEncodedNs = long.MinValue / 2;
    private long _lastKeyframeNs = long.MinValue / 2;
    private long _lastChangedNs = long.MinValue / 2;
    private long _lastBitrateBps;
    private string _lastPreset = "";
    private string? _keyframeWhy;
    private string? _pendingRungWhy;
    private bool _skipping;
    private QualitySample? _quality;
    private HardwareSample _hw;
    private bool _gpuAnalysis;
    private ContentMetrics? _steady;

    // What each recent encoded frame was predicted to look like, so the display's measurement teaches the model.
    private readonly long[] _frameIds = new long[FrameMemory];
    private readonly Rung[] _frameRungs = new Rung[FrameMemory];
    private readonly double[] _framePriors = new double[FrameMemory];
    private readonly bool[] _frameSqueezed = new bool[FrameMemory];

    private AqsEngine(AqsConfig config, EncoderHardware hardware, Action<string>? log)
    {
        _config = config;
        _hardware = hardware;
        _log = log ?? (_ => { });
        _hw = HardwareSample.Unavailable(0);
        Array.Fill(_frameIds, -1);
        _gpuAnalysis = hardware.Accelerator is not null;
        _analyzer = new ContentAnalyzer(!(config.DisableAdvancedAnalysis ?? false), _gpuAnalysis ? hardware.Accelerator : null);
    }

    /// <summary>The seed's <c>aqs_init</c>: checks the settings that need no source (contradictions are one-line errors).</summary>
    public static AqsEngine Init(AqsConfig config, EncoderHardware hardware, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(hardware);
        config.CheckContradictions();
        var engine = new AqsEngine(config, hardware, log);
        if (config.EnableNvidiaAiq == true)
        {
            engine.EnableNvidiaAiq(true);
        }
        if (config.EnableIntelVtd == true)
        {
            engine.EnableIntelVtd(true);
        }
        if (config.EnableNvidiaReflex == true && !hardware.NvidiaGpu)
        {
            engine.SayOnce("--enable-nvidia-reflex: no NVIDIA GPU here; ignored");
        }
        return engine;
    }

    /// <summary>The limits in force (null before the first frame).</summary>
    public ResolvedConfig? Config => _resolved;

    public RungLadder? Ladder => _ladder;

    /// <summary>Where content analysis runs, in words.</summary>
    public string AnalysisDevice => _analyzer.Device;

    public long FramesSkippedForBudget { get; private set; }
    /// <summary>Frames encoded smaller than the bitrate asks, to fit what the link takes now.</summary>
    public long FramesSqueezed { get; private set; }
    public long FramesDecimated { get; private set; }
    public long RungSwitches { get; private set; }
    public long KeyframesForced { get; private set; }
    public double EncodeMs => _load?.EncodeMs ?? double.NaN;

    /// <summary>
    /// The seed's <c>aqs_process_frame</c>: analyses <paramref name="frame"/> and decides what to do with it under the
    /// link <paramref name="net"/> describes (the network kernel's latest report, or null before the first).
    /// </summary>
    public AqsDecision ProcessFrame(in FrameInput frame, NetworkConstraints? net)
    {
        var now = frame.NowNs;
        if (net is { } n)
        {
            _link.OnNetwork(n);
        }
        EnsureResolved(frame);
        var config = _resolved!;
        if (!config.Enabled)
        {
            return FixedDecision(frame, config);
        }
        var content = _analyzer.Analyze(frame.Luma);
        var sceneCut = content.SceneChange || frame.SceneCutHint;
        // Choices rest on the content of the last few hundred ms, not one frame's jitter; a cut starts afresh.
        _steady = sceneCut || _steady is null ? content : Blend(_steady.Value, content, 0.15);
        var steady = _steady.Value;

        // Slow time scale: what the link carries, which rung, which bitrate.
        // Until the link has shown where it ends, the configured bitrate is a floor: starting at the bottom of a
        // slow estimator's ramp would cost seconds of picture; a link narrower than it shows a queue at once.
        var usable = _link.EverSaturated ? _link.UsableRateBps : Math.Max(_link.UsableRateBps, StartWireBps(config));
        var linkMedia = double.IsNaN(usable) ? config.StartBitrateBps : WireOverhead.MediaBps(usable * config.Profile.Headroom, _link.FecOverhead);
        var cap = config.BitrateCapBps ?? double.PositiveInfinity;
        if (LatencyCapBytes(config, 1000.0 / (_encodingRung ?? _ladder!.Top).Fps) is { } frameCap)
        {
            // Frames no larger than the latency budget allows: the bitrate aims at what they add up to.
            linkMedia = Math.Min(linkMedia, frameCap * 8 * (_encodingRung ?? _ladder!.Top).Fps);
        }
        _rate!.Steer(linkMedia, FloorBps, cap, config.Profile.ReactionMs, now);
        var loadWhy = UpdateLoad(config, steady, now);
        if (_encodingRung is null || now - _lastChooseNs >= ChooseIntervalNs || sceneCut || loadWhy is not null || _paramsChange is not null)
        {
            _lastChooseNs = now;
            var (maxHeight, minDecimation) = LoadCaps();
            var previous = _choice.Rung;
            _choice = _chooser.Choose(_ladder!, _encodingRung is null ? null : previous, _rate.TargetBps, steady, config,
                maxHeight, minDecimation, sceneCut, now, out var why, _load!.MaxPixelsPerSecond);
            if (_encodingRung is not null && _choice.Rung != previous)
            {
                _pendingRungWhy = loadWhy ?? _paramsChange ?? why;
            }
        }
        var bitrate = (long)_rate.Correct(_choice.BitrateBps, now);
        var rung = _choice.Rung;

        // Fast time scale: does this frame go, and how large may it be? A frame the link takes only in part goes
        // smaller (the encoder's rate for it is cut to the budget, down to a sliver): the stream never stalls, and
        // fresh pictures queue behind the old ones instead of none at all. Only when the path has stopped delivering
        // (an outage: no acknowledgement, far more in flight than it drains in one) do frames wait.
        var skip = SkipReason.None;
        var squeezed = false;
        var frameInterval = 1000.0 / rung.Fps;
        var budget = _link.FrameBudgetBytes(now, frameInterval, TargetQueueMs(config));
        if (budget is { } linkBudget && LatencyCapBytes(config, frameInterval) is { } latencyCap)
        {
            budget = Math.Min(linkBudget, latencyCap);
        }
        var expected = bitrate / 8.0 / rung.Fps;
        if (!KeptByDecimation(frame, rung))
        {
            skip = SkipReason.Decimation;
            FramesDecimated++;
        }
        else if (budget is { } b && b < expected)
        {
            var window = _link.InFlightWindowBytes(TargetQueueMs(config), frameInterval);
            var stuck = _link.Stalled(now, TargetQueueMs(config), frameInterval, StuckWindows);
            // While stalled, a sliver every 150 ms as long as slivers add little: the freshest picture then sits at
            // the tail of a short queue when the link comes back, instead of waiting for the first acknowledgement.
            var keepAlive = now - _lastEncodedNs >= KeepAliveNs && _link.BytesInFlightNow() < StuckWindows * window + KeepAliveBytes;
            if (stuck && !keepAlive)
            {
                skip = SkipReason.LinkBudget;
                FramesSkippedForBudget++;
            }
            else
            {
                squeezed = true;
                bitrate = (long)(Math.Max(stuck ? 0 : b, MinFrameBytes) * 8 * rung.Fps);
                FramesSqueezed++;
            }
        }

        var reasons = new List<string>();
        var rungChanged = false;
        if (skip == SkipReason.None)
        {
            _lastKeptPtsNs = frame.PtsNs;
            _lastEncodedNs = now;
            if (_encodingRung != rung)
            {
                rungChanged = _encodingRung is not null;
                reasons.Add(_encodingRung is null
                    ? $"start at {rung}: {_pendingRungWhy ?? "best predicted quality for the link"}"
                    : $"rung {_encodingRung} -> {rung}: {_pendingRungWhy}");
                if (rungChanged)
                {
                    RungSwitches++;
                    _rate.Restart();
                    _load!.OnEncoderSwitch();
                }
                _encodingRung = rung;
                _pendingRungWhy = null;
            }
            if (sceneCut && now - _lastKeyframeNs >= KeyframeGapNs)
            {
                _keyframeWhy ??= "scene cut";
            }
        }
        else if (sceneCut && now - _lastKeyframeNs >= KeyframeGapNs)
        {
            // The cut is in a skipped frame: the next frame that goes is the new scene's first.
            _keyframeWhy ??= "scene cut";
        }
        var keyframe = skip == SkipReason.None && (rungChanged || _keyframeWhy is not null);
        if (keyframe)
        {
            if (!rungChanged)
            {
                reasons.Add("keyframe: " + _keyframeWhy);
                KeyframesForced++;
            }
            _keyframeWhy = null;
            _lastKeyframeNs = now;
        }
        var steered = (long)_rate.OutputBps;
        if (Math.Abs(steered - _lastBitrateBps) > 0.1 * Math.Max(_lastBitrateBps, 1))
        {
            reasons.Add(BitrateReason(steered, now));
            _lastBitrateBps = steered;
        }
        var preset = _load!.Preset;
        if (preset != _lastPreset)
        {
            reasons.Add(_lastPreset.Length == 0 ? $"preset {preset}" : $"preset {_lastPreset} -> {preset}: {loadWhy ?? "load"}");
            _lastPreset = preset;
        }
        if (loadWhy is not null && !reasons.Any(r => r.Contains(loadWhy, StringComparison.Ordinal)))
        {
            reasons.Add("load: " + loadWhy);
        }
        if (_paramsChange is not null)
        {
            reasons.Add("params: " + _paramsChange);
            _paramsChange = null;
        }
        if (skip == SkipReason.LinkBudget && !_skipping)
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture,
                $"holding frames: the link takes {budget / 1000:F1} kB now, a frame is about {bitrate / 8.0 / rung.Fps / 1000:F1} kB (queue {_link.QueueNowMs(now):F0} ms)"));
        }
        _skipping = skip == SkipReason.LinkBudget;
        var changed = reasons.Count > 0 || now - _lastChangedNs >= RefreshNs;
        if (changed)
        {
            _lastChangedNs = now;
        }
        if (skip == SkipReason.None)
        {
            Remember(frame.FrameId, rung, _chooser.Model.Prior(rung, bitrate, steady, config.Source.Height), squeezed);
        }
        return new AqsDecision
        {
            FrameId = frame.FrameId,
            TimestampNs = now,
            Encode = skip == SkipReason.None,
            Skip = skip,
            Rung = _encodingRung ?? rung,
            BitrateBps = bitrate,
            TargetBitrateBps = (long)_rate.TargetBps,
            FrameBudgetBytes = budget is { } fb ? (int)Math.Min(int.MaxValue, fb) : 0,
            Preset = preset,
            ForceKeyframe = keyframe,
            RungChanged = rungChanged,
            Neighbours = Neighbours(_encodingRung ?? rung),
            PredictedVmaf = _choice.PredictedVmaf,
            Content = content,
            Changed = changed,
            Reason = reasons.Count > 0 ? string.Join("; ", reasons) : "steady",
            Mode = config.Mode.ToString().ToLowerInvariant(),
            Inputs = Inputs(now),
        };
    }

    /// <summary>A frame the encoder made (feeds the PID, the load governor and the link budget).</summary>
    public void OnEncoded(in EncodedFrameReport report)
    {
        _link.OnSent(report.TimestampNs, report.Bytes);
        // A frame cut to the link's budget says nothing about the encoder's rate setting.
        if (_encodingRung is { } rung && !WasSqueezed(report.FrameId))
        {
            _rate?.OnEncoded(report.Bytes, rung.Fps, report.Keyframe, report.TimestampNs);
        }
        _load?.OnEncoded(report.EncodeMs, report.TimestampNs);
    }

    /// <summary>What the display measured over a window; teaches the quality model about the rung those frames had.</summary>
    public void OnQuality(in QualitySample sample)
    {
        _quality = sample;
        var measured = !double.IsNaN(sample.Vmaf) ? sample.Vmaf : QualityModel.VmafFromSsim(sample.Ssim);
        if (double.IsNaN(measured) || sample.FramesMeasured == 0)
        {
            return;
        }
        var slot = (int)(sample.LastFrameId % FrameMemory);
        if (_frameIds[slot] == sample.LastFrameId)
        {
            _chooser.Model.Observe(_frameRungs[slot], measured, _framePriors[slot]);
        }
    }

    public void OnHardware(in HardwareSample sample)
    {
        _hw = sample;
        _load?.OnHardware(sample);
    }

    /// <summary>The receiver or the display lost a reference: the next frame that goes is a keyframe (repeats within 300 ms of one are served by it).</summary>
    public void OnKeyframeRequest(string from, long nowNs)
    {
        if (nowNs - _lastKeyframeNs >= 300_000_000)
        {
            _keyframeWhy ??= "requested by " + from;
        }
    }

    /// <summary>The seed's <c>aqs_update_params</c>: every non-null field replaces the one in force from the next frame on.</summary>
    public void UpdateParams(AqsParams changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var next = _config.Overlay(changes.AsOverlay());
        next.CheckContradictions();
        if (_resolved is not null)
        {
            // Refused here, with the old settings kept, rather than at the next frame.
            next.Resolve(_source, _hardware.CodecDepths);
        }
        _config = next;
        _reresolve = true;
        _paramsChange = Describe(changes);
    }

    /// <summary>
    /// The seed's <c>aqs_enable_nvidia_aiq</c>: on an NVIDIA GPU, content analysis runs there through CUDA and its NVML
    /// figures count as load (GPU power against <c>--power-limit</c>). Without one it is said once and ignored.
    /// </summary>
    public void EnableNvidiaAiq(bool enable)
    {
        if (!enable)
        {
            return;
        }
        if (!_hardware.NvidiaGpu || _hardware.Accelerator is null)
        {
            SayOnce("--enable-nvidia-aiq: no NVIDIA GPU with CUDA here; analysis stays on the CPU");
            return;
        }
        if (!_gpuAnalysis)
        {
            _analyzer.Dispose();
            _analyzer = new ContentAnalyzer(_analyzer.Advanced, _hardware.Accelerator);
            _gpuAnalysis = true;
        }
    }

    /// <summary>
    /// The seed's <c>aqs_enable_intel_vtd</c>: its real content is AVX-512 on an Intel CPU; the block pass here is AVX2
    /// (AVX-512 gains nothing measurable on a pass this memory-bound), so it is said once either way.
    /// </summary>
    public void EnableIntelVtd(bool enable)
    {
        if (enable)
        {
            SayOnce(_hardware.IntelAvx512
                ? "--enable-intel-vtd: the analysis pass is memory-bound and already vectorised (AVX2); nothing more to enable"
                : "--enable-intel-vtd: no Intel CPU with AVX-512 here; ignored");
        }
    }

    private void EnsureResolved(in FrameInput frame)
    {
        var source = new SourceInfo(frame.Luma.Width, frame.Luma.Height, frame.SourceFps, frame.Luma.BitDepth);
        if (_resolved is not null && !_reresolve && source == _source)
        {
            return;
        }
        var sourceChanged = source != _source;
        _source = source;
        _reresolve = false;
        _resolved = _config.Resolve(source, _hardware.CodecDepths);
        _ladder = new RungLadder(_resolved);
        foreach (var notice in _resolved.Notices)
        {
            SayOnce(notice);
        }
        _analyzer.Advanced = _resolved.AdvancedAnalysis;
        if (_rate is null || sourceChanged)
        {
            _rate = new BitrateController(_resolved.StartBitrateBps);
            _encodingRung = null;
        }
        _load ??= new LoadGovernor(StartPreset ?? _resolved.Profile.Preset);
    }

    /// <summary>The host's --preset, if it gave one: the governor starts there instead of the mode's.</summary>
    public string? StartPreset { get; set; }

    private AqsDecision FixedDecision(in FrameInput frame, ResolvedConfig config)
    {
        var rung = _ladder!.Top;
        var now = frame.NowNs;
        var first = _encodingRung is null;
        _encodingRung = rung;
        var keyframe = _keyframeWhy is not null;
        var reason = first ? $"aqs off: fixed {rung} at {config.StartBitrateBps / 1e6:F2} Mbit/s" : keyframe ? "keyframe: " + _keyframeWhy : "steady";
        _keyframeWhy = null;
        var changed = first || keyframe || now - _lastChangedNs >= RefreshNs;
        if (changed)
        {
            _lastChangedNs = now;
        }
        return new AqsDecision
        {
            FrameId = frame.FrameId,
            TimestampNs = now,
            Encode = true,
            Skip = SkipReason.None,
            Rung = rung,
            BitrateBps = config.StartBitrateBps,
            TargetBitrateBps = config.StartBitrateBps,
            FrameBudgetBytes = 0,
            Preset = StartPreset ?? "veryfast",
            ForceKeyframe = keyframe,
            RungChanged = false,
            Neighbours = [],
            PredictedVmaf = double.NaN,
            Content = default,
            Changed = changed,
            Reason = reason,
            Mode = "off",
            Inputs = Inputs(now),
        };
    }

    private static ContentMetrics Blend(ContentMetrics old, ContentMetrics now, double weight) => now with
    {
        Motion = old.Motion + weight * (now.Motion - old.Motion),
        TemporalComplexity = old.TemporalComplexity + weight * (now.TemporalComplexity - old.TemporalComplexity),
        SpatialComplexity = old.SpatialComplexity + weight * (now.SpatialComplexity - old.SpatialComplexity),
        GradientEnergy = old.GradientEnergy + weight * (now.GradientEnergy - old.GradientEnergy),
        NoiseSigma = old.NoiseSigma + weight * (now.NoiseSigma - old.NoiseSigma),
    };

    private bool KeptByDecimation(in FrameInput frame, Rung rung)
    {
        if (rung.Decimation <= 1 || _lastKeptPtsNs == long.MinValue)
        {
            return true;
        }
        // Keep a frame once a rung frame interval has passed, less half a source interval for timestamp jitter.
        var sourceIntervalNs = 1e9 / frame.SourceFps;
        return frame.PtsNs - _lastKeptPtsNs >= rung.Decimation * sourceIntervalNs - sourceIntervalNs / 2;
    }

    private double StartWireBps(ResolvedConfig config) => config.StartBitrateBps / WireOverhead.PayloadShare / config.Profile.Headroom;

    /// <summary>
    /// The largest frame, media bytes, whose transmission fits the latency budget: the picture on screen is at most
    /// one-way delay + a frame's time on the link + a frame interval old (+5 ms for the codec), so a tight budget
    /// (conference's 66 ms) caps frames, not only the queue. Null when the budget leaves a whole interval or more.
    /// </summary>
    private double? LatencyCapBytes(ResolvedConfig config, double frameIntervalMs)
    {
        if (_link.Latest is not { } n || !(n.RttMs > 0) || double.IsNaN(_link.DrainRateBps))
        {
            return null;
        }
        var oneWayMs = Math.Max(0, n.RttMs - n.QueueDelayMs) / 2;
        var linkMs = config.LatencyBudgetMs - oneWayMs - frameIntervalMs - 5;
        if (linkMs >= frameIntervalMs)
        {
            return null;
        }
        return WireOverhead.MediaBytes(_link.DrainRateBps * Math.Max(linkMs, 2) / 8000, _link.FecOverhead);
    }

    private double TargetQueueMs(ResolvedConfig config) =>
        config.NvidiaReflex && _hardware.NvidiaGpu ? Math.Min(config.TargetQueueMs, 10) : config.TargetQueueMs;

    private string? UpdateLoad(ResolvedConfig config, in ContentMetrics content, long now)
    {
        var rung = _encodingRung ?? _ladder!.Top;
        var heights = _ladder!.Heights.ToList();
        var rates = _ladder.FrameRates.ToList();
        var (maxHeight, minDecimation) = LoadCaps();
        var canLowerRung = heights.Any(h => h < Math.Min(maxHeight, rung.Height));
        var canLowerRate = rates.Any(f => (int)Math.Round(config.Source.Fps / f) > Math.Max(minDecimation, rung.Decimation));
        var step = _load!.Update(config, rung.Fps, rung.PixelsPerSecond, content.Motion, canLowerRung, canLowerRate, now);
        if (step is not { } s)
        {
            return null;
        }
        var what = s.Step switch
        {
            LoadStep.TemporalDownsample => "frame rate",
            LoadStep.LighterPreset => "preset",
            _ => "resolution",
        };
        return s.Undo ? $"{s.Why}: {what} back up" : $"{s.Why}: {what} down";
    }

    /// <summary>The largest height and smallest decimation the load governor's steps allow, from the current rung.</summary>
    private (int MaxHeight, int MinDecimation) LoadCaps()
    {
        var ladder = _ladder!;
        var heights = ladder.Heights.OrderDescending().ToList();
        var decimations = ladder.FrameRates.Select(f => (int)Math.Round(_source.Fps / f)).Order().ToList();
        var load = _load!;
        var maxHeight = heights[Math.Min(heights.Count - 1, load.RungSteps)];
        var minDecimation = 1;
        for (var i = 0; i < load.TemporalSteps; i++)
        {
            // Halving the rate: the smallest allowed decimation at least twice the last.
            var next = decimations.FirstOrDefault(d => d >= minDecimation * 2, decimations[^1]);
            minDecimation = next;
        }
        return (maxHeight, minDecimation);
    }

    private IReadOnlyList<Rung> Neighbours(Rung rung)
    {
        var ladder = _ladder!;
        var heights = ladder.Heights.OrderDescending().ToList();
        var i = heights.IndexOf(rung.Height);
        var near = new List<Rung>();
        foreach (var h in new[] { i - 1, i + 1 })
        {
            if (h >= 0 && h < heights.Count)
            {
                near.AddRange(ladder.Rungs.Where(r => r.Height == heights[h] && r.Decimation == rung.Decimation && r.BitDepth == rung.BitDepth));
            }
        }
        return near;
    }

    private string BitrateReason(long bitrate, long now)
    {
        var from = _lastBitrateBps == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"{_lastBitrateBps / 1e6:F2} -> ");
        var why = _link.Latest is { } n
            ? string.Create(CultureInfo.InvariantCulture,
                $"estimate {n.EstimateBps / 1e6:F2}, delivered {n.DeliveryBps / 1e6:F2} Mbit/s, queue {_link.QueueNowMs(now):F0} ms, FEC {n.FecOverhead:P0}")
            : "no link report yet: the starting bitrate";
        return string.Create(CultureInfo.InvariantCulture, $"bitrate {from}{bitrate / 1e6:F2} Mbit/s ({why})");
    }

    private DecisionInputs Inputs(long now)
    {
        var n = _link.Latest;
        var q = _quality;
        return new DecisionInputs(
            n?.EstimateBps ?? double.NaN,
            n?.DeliveryBps ?? double.NaN,
            _link.DrainRateBps,
            n?.QueueDelayMs ?? double.NaN,
            n is null ? double.NaN : _link.QueueNowMs(now),
            n?.LossRate ?? double.NaN,
            n?.RttMs ?? double.NaN,
            n?.FecOverhead ?? double.NaN,
            n?.EmulatedCapacityBps ?? double.NaN,
            q?.Vmaf ?? double.NaN,
            q?.Ssim ?? double.NaN,
            q?.LatencyP95Ms ?? double.NaN,
            _load?.EncodeMs ?? double.NaN,
            _rate?.MeasuredBps ?? double.NaN,
            _hw.InputQueueFill,
            _hw.ProcessCpuCores,
            _hw.MachineCpu,
            _hw.GpuUtilization,
            double.IsNaN(_hw.PackagePowerW) ? _hw.GpuPowerW : _hw.PackagePowerW);
    }

    private void Remember(long frameId, Rung rung, double prior, bool squeezed)
    {
        var slot = (int)(frameId % FrameMemory);
        _frameIds[slot] = frameId;
        _frameRungs[slot] = rung;
        _framePriors[slot] = prior;
        _frameSqueezed[slot] = squeezed;
    }

    private bool WasSqueezed(long frameId)
    {
        var slot = (int)(frameId % FrameMemory);
        return _frameIds[slot] == frameId && _frameSqueezed[slot];
    }

    private void SayOnce(string line)
    {
        if (_said.Add(line))
        {
            _log(line);
        }
    }

    private static string Describe(AqsParams p)
    {
        var parts = new List<string>();
        void Add(string name, object? value)
        {
            if (value is not null)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {value}"));
            }
        }
        Add("mode", p.Mode?.ToString().ToLowerInvariant());
        Add("vmaf target", p.VmafTarget);
        Add("bitrate cap kbit/s", p.BitrateCapKbps);
        Add("min fps", p.MinFps);
        Add("max fps", p.MaxFps);
        Add("spatial scale", p.SpatialScale);
        Add("spatial floor", p.SpatialFloorLines);
        Add("bit depth", p.BitDepth);
        Add("max latency ms", p.MaxLatencyMs);
        return parts.Count > 0 ? string.Join(", ", parts) : "nothing changed";
    }

    public void Dispose() => _analyzer.Dispose();
}
