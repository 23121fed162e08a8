using System.Diagnostics;
using System.Runtime.Intrinsics.X86;
using Aqs.Engine;
using Aqs.Engine.Analysis;
using Aqs.Engine.Config;
using Aqs.Kernel.Encode.Control;
using Aqs.Kernel.Encode.Encoding;
using Aqs.Shared.Contracts;
using Aqs.Shared.Frames;
using Aqs.Shared.Gpu;
using Aqs.Shared.Kernel;
using Aqs.Shared.Media;
using Aqs.Shared.Rings;
using Aqs.Shared.Timing;

namespace Aqs.Kernel.Encode;

/// <summary>
/// Kernel C's loop, thin around the AQS engine: take the newest raw frame (the ring's Latest policy drops what the
/// encoder cannot keep up with), let the engine decide (rung, rate, depth, bitrate, keyframe, or not at all), encode
/// it at the chosen rung, publish each packet to the enc ring with its rung and capture time, and tell the others:
/// EncoderStats per frame, EncoderDecision when a knob moves. The network kernel's NetworkStats, the display's
/// QualityFeedback, KeyframeRequests and the orchestrator's UpdateParams reach the engine through the control plane.
/// </summary>
public sealed class EncodeKernel
{
    private const int History = 1024;
    private readonly EncodeSettings _settings;
    private readonly long[] _captureNs = new long[History];
    private readonly long[] _ptsNs = new long[History];
    private readonly SlotFlags[] _flags = new SlotFlags[History];
    private readonly Rung[] _rungs = new Rung[History];

    private long _framesEncoded;
    private long _framesSkipped;
    private long _bytes;
    private long _keyframes;
    private long _encodeDrops;
    private long _decisionsPublished;
    private long _updatesRefused;
    private NetworkConstraints? _network;
    private AqsDecision? _lastDecision;

    public EncodeKernel(EncodeSettings settings)
    {
        _settings = settings;
    }

    public int Run(KernelLifetime lifetime)
    {
        var session = _settings.Context.Session;
        var startNs = MonotonicClock.NowNs;
        using var control = ControlPlane.Start(session, KernelRole.Encode, ControlOptions());
        // Input first: a kernel started without its input ring fails before it creates anything.
        using var raw = FrameReader.Attach(session, "raw", ConsumerPolicy.Latest, "encode", _settings.Context.AttachTimeout);
        using var enc = FrameWriter.Create(session, "enc", new RingOptions(_settings.EncSlots, _settings.EncSlotSize));
        using var gpu = _settings.Gpu ? GpuContext.TryCreate(line => Log(line.Replace("quality metrics", "content analysis", StringComparison.Ordinal))) : null;
        using var telemetry = new HostTelemetry(Log);
        using var engine = AqsEngine.Init(_settings.Aqs, Hardware(gpu, telemetry), Log);
        engine.StartPreset = _settings.Preset;
        using var decisionLog = _settings.DecisionLog is { } path ? new DecisionLog(path, startNs) : null;
        Subscribe(control, engine, lifetime);
        lifetime.PublishHeartbeats(control);
        RungEncoders? encoders = null;
        FrameLayout source = default;
        var encodeClock = new Stopwatch();
        var active = new Stopwatch();
        try
        {
            if (!enc.WaitForConsumers(1, _settings.Context.AttachTimeout, lifetime.Stopping) && !lifetime.IsStopping)
            {
                Log($"no consumer attached to the enc ring within {_settings.Context.AttachTimeout.TotalSeconds:F0} s; encoding anyway");
            }
            while (true)
            {
                control.Poll(TimeSpan.Zero);
                var now = MonotonicClock.NowNs;
                if (telemetry.Sample(now, raw.Fill, 0) is { } hardware)
                {
                    engine.OnHardware(hardware);
                }
                var step = raw.Next(lifetime, TimeSpan.FromMilliseconds(100), out var slot);
                if (step == InputStep.End)
                {
                    break;
                }
                if (step == InputStep.Idle)
                {
                    continue;
                }
                ref var header = ref slot.Header;
                if (encoders is null)
                {
                    source = header.Layout;
                    var color = new ColorDescription(header.ColorRange, header.ColorPrimaries, header.ColorTransfer, header.ColorMatrix);
                    // A zeroed header (a producer that set no colour) means "unspecified", not "reserved".
                    var declared = color == default ? ColorDescription.Unknown : color;
                    var from = source;
                    var tagged = EncodedRange.Tag(declared, _settings.Aqs.ColorRange);
                    encoders = new RungEncoders(source, key => RungEncoderSettings.For(_settings.Codec, key, from, tagged, engine.Config, _settings.Threads, _settings.KeyframeInterval), Log,
                        EncodedRange.Conversion(declared, _settings.Aqs.ColorRange));
                    active.Start();
                    Log($"{_settings.Codec} from {source} -> {enc.Path}; analysis on {engine.AnalysisDevice}");
                }
                else if (header.Layout != source)
                {
                    Log($"frame {header.FrameId} is {header.Layout}, the source was {source}; frame skipped");
                    raw.Release();
                    continue;
                }
                var frameId = header.FrameId;
                var sourceFps = header.DurationNs > 0 ? 1e9 / header.DurationNs : 60.0;
                var luma = new LumaPlane(slot.Payload[..source.PlaneSize(0)], source.Width, source.Height, source.Stride(0), source.Format.BitDepth());
                var decision = engine.ProcessFrame(new FrameInput(luma, frameId, header.PtsNs, now, sourceFps, (header.Flags & SlotFlags.SceneCut) != 0), _network);
                _lastDecision = decision;
                if (decision.Changed)
                {
                    control.Publish(Published(decision));
                    _decisionsPublished++;
                    decisionLog?.Write(decision);
                }
                if (!decision.Encode)
                {
                    _framesSkipped++;
                    raw.Release();
                    continue;
                }
                var slotIndex = (int)(frameId % History);
                _captureNs[slotIndex] = header.CaptureTimeNs;
                _ptsNs[slotIndex] = header.PtsNs;
                _flags[slotIndex] = header.Flags & SlotFlags.SceneCut;
                _rungs[slotIndex] = decision.Rung;
                var key = new EncoderKey(decision.Rung, decision.Preset);
                encodeClock.Restart();
                var switched = encoders.Send(PlanarFrame.FromPacked(source, slot.Payload[..source.FrameSize]), key, decision.BitrateBps, frameId, decision.ForceKeyframe);
                raw.Release();
                if (switched && decision.RungChanged)
                {
                    _flags[slotIndex] |= SlotFlags.RungSwitch;
                }
                encoders.OpenAhead(decision.Neighbours.Select(r => new EncoderKey(r, decision.Preset)).ToList());
                Drain(encoders, enc, control, engine, encodeClock);
            }
            if (encoders?.Current is not null)
            {
                encoders.Flush();
                Drain(encoders, enc, control, engine, encodeClock);
            }
        }
        finally
        {
            active.Stop();
            enc.Close();
            encoders?.Dispose();
        }
        KernelSummary.Print("kernel-encode", new Dictionary<string, object?>
        {
            ["codec"] = encoders?.Current?.EncoderName ?? _settings.Codec,
            ["aqs"] = engine.Config?.Enabled ?? _settings.Aqs.Enabled ?? true,
            ["mode"] = _lastDecision?.Mode,
            ["final_rung"] = _lastDecision?.Rung.ToString(),
            ["bitrate_target_bps"] = _lastDecision?.BitrateBps,
            ["frames_encoded"] = _framesEncoded,
            ["frames_skipped"] = raw.Skipped,
            ["frames_skipped_by_engine"] = _framesSkipped,
            ["frames_decimated"] = engine.FramesDecimated,
            ["frames_held_for_link"] = engine.FramesSkippedForBudget,
            ["frames_squeezed"] = engine.FramesSqueezed,
            ["frames_dropped_enc_ring"] = _encodeDrops,
            ["rung_switches"] = engine.RungSwitches,
            ["encoder_cold_switches"] = encoders?.ColdSwitches ?? 0,
            ["keyframes"] = _keyframes,
            ["keyframes_forced"] = engine.KeyframesForced,
            ["decisions"] = _decisionsPublished,
            ["decision_log"] = decisionLog?.Path,
            ["updates_refused"] = _updatesRefused,
            ["analysis_device"] = engine.AnalysisDevice,
            ["bytes"] = _bytes,
            ["active_s"] = active.Elapsed.TotalSeconds,
        });
        return 0;
    }

    private void Subscribe(ControlPlane control, AqsEngine engine, KernelLifetime lifetime)
    {
        control.Subscribe<NetworkStats>(stats => _network = EngineInputs.From(stats));
        control.Subscribe<QualityFeedback>(feedback => engine.OnQuality(EngineInputs.From(feedback)));
        control.Subscribe<KeyframeRequest>(request => engine.OnKeyframeRequest(request.From.ToString().ToLowerInvariant() + ": " + request.Reason, MonotonicClock.NowNs));
        control.Subscribe<Command>(command =>
        {
            if (!command.IsFor(KernelRole.Encode))
            {
                return;
            }
            switch (command.Kind)
            {
                case CommandKind.ForceKeyframe:
                    engine.OnKeyframeRequest("orchestrator", MonotonicClock.NowNs);
                    break;
                case CommandKind.Stop:
                    lifetime.RequestStop("stop command");
                    break;
                case CommandKind.UpdateParams:
                    Update(engine, command);
                    break;
            }
        });
    }

    private void Update(AqsEngine engine, Command command)
    {
        try
        {
            engine.UpdateParams(new AqsParams
            {
                Mode = command.Mode is { } mode ? Enum.Parse<AqsMode>(mode, ignoreCase: true) : null,
                VmafTarget = command.VmafTarget,
                BitrateCapKbps = command.BitrateCapKbps,
                MinFps = command.MinFps,
                MaxFps = command.MaxFps,
                SpatialScale = command.SpatialScale,
                SpatialFloorLines = command.SpatialFloor,
                BitDepth = command.BitDepth,
                MaxLatencyMs = command.MaxLatencyMs,
            });
        }
        catch (Exception ex) when (ex is AqsConfigException or ArgumentException)
        {
            // A bad update from the control plane keeps the settings in force; say why once per update.
            _updatesRefused++;
            Log($"update refused, settings unchanged: {ex.Message}");
        }
    }

    private EncoderHardware Hardware(GpuContext? gpu, HostTelemetry telemetry)
    {
        var info = EncoderCatalog.Available().FirstOrDefault(e => string.Equals(e.Name, _settings.Codec, StringComparison.OrdinalIgnoreCase));
        return new EncoderHardware
        {
            Codec = _settings.Codec,
            CodecDepths = info?.BitDepths ?? [8],
            LiveBitrate = info?.SupportsLiveBitrate ?? false,
            Accelerator = gpu?.Accelerator,
            NvidiaGpu = telemetry.NvidiaGpu && gpu?.Type == ILGPU.Runtime.AcceleratorType.Cuda,
            IntelAvx512 = Avx512F.IsSupported && IsIntel(),
        };
    }

    private static bool IsIntel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").Any(line => line.StartsWith("vendor_id", StringComparison.Ordinal) && line.Contains("GenuineIntel", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false;
        }
    }

    private void Drain(RungEncoders encoders, FrameWriter enc, ControlPlane control, AqsEngine engine, Stopwatch encodeClock)
    {
        var encoder = encoders.Current!;
        while (encoder.TryReceive(out var packet))
        {
            var frameId = packet.Pts;
            var index = (int)(frameId % History);
            var rung = _rungs[index];
            if (!enc.TryClaim(packet.Data.Length, TimeSpan.FromSeconds(1), out var slot))
            {
                // The network kernel is gone or stuck: a lost packet breaks the references, so ask for a keyframe.
                _encodeDrops++;
                engine.OnKeyframeRequest("enc ring full", MonotonicClock.NowNs);
                continue;
            }
            packet.Data.CopyTo(slot.Payload);
            ref var header = ref slot.Header;
            header.FrameId = frameId;
            header.CaptureTimeNs = _captureNs[index];
            header.PtsNs = _ptsNs[index];
            header.SetLayout(encoders.LayoutOf(rung));
            header.DurationNs = (long)(1e9 / rung.Fps);
            header.Codec = encoder.Codec;
            header.PayloadLength = packet.Data.Length;
            header.Flags = (packet.IsKeyframe ? SlotFlags.Keyframe : SlotFlags.None) | _flags[index];
            header.FrameType = packet.Stats.FrameType;
            header.Qp = (int)Math.Round(packet.Stats.Qp);
            enc.Publish(ref slot);
            var now = MonotonicClock.NowNs;
            _framesEncoded++;
            _bytes += packet.Data.Length;
            _keyframes += packet.IsKeyframe ? 1 : 0;
            var encodeMs = encodeClock.Elapsed.TotalMilliseconds;
            engine.OnEncoded(new EncodedFrameReport(frameId, packet.Data.Length, encodeMs, packet.IsKeyframe, now));
            control.Publish(new EncoderStats
            {
                TimestampNs = now,
                FrameId = frameId,
                Bytes = packet.Data.Length,
                FrameType = packet.Stats.FrameType,
                Qp = (int)Math.Round(packet.Stats.Qp),
                EncodeMs = encodeMs,
                BitrateBps = encoder.Settings.BitrateBps,
                Codec = encoder.EncoderName,
                Width = rung.Width,
                Height = rung.Height,
                Fps = rung.Fps,
                BitDepth = rung.BitDepth,
                Preset = encoder.Settings.Preset,
                FramesEncoded = _framesEncoded,
                FramesSkipped = _framesSkipped,
                FramesDropped = _encodeDrops,
            });
        }
    }

    private static EncoderDecision Published(AqsDecision d) => new()
    {
        TimestampNs = d.TimestampNs,
        FrameId = d.FrameId,
        Width = d.Rung.Width,
        Height = d.Rung.Height,
        Fps = d.Rung.Fps,
        BitDepth = d.Rung.BitDepth,
        BitrateBps = d.BitrateBps,
        FecHint = double.IsNaN(d.Inputs.FecOverhead) ? 0 : d.Inputs.FecOverhead,
        ForceKeyframe = d.ForceKeyframe,
        Reason = d.Reason,
        Mode = d.Mode,
        Preset = d.Preset,
        FrameBudgetBytes = d.FrameBudgetBytes,
        EstimateBps = d.Inputs.EstimateBps,
        QueueDelayMs = d.Inputs.QueueNowMs,
        DeliveredVmaf = d.Inputs.DeliveredVmaf,
        DeliveredSsim = d.Inputs.DeliveredSsim,
        EncodeMs = d.Inputs.EncodeMs,
    };

    private static void Log(string line) => Console.Error.WriteLine($"kernel-encode: {line}");

    private ControlPlaneOptions? ControlOptions() =>
        _settings.Context.ControlPort is { } port ? new ControlPlaneOptions(port) : null;
}
