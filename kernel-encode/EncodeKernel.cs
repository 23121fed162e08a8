using System.Diagnostics;
using Aqs.Shared.Contracts;
using Aqs.Shared.Frames;
using Aqs.Shared.Kernel;
using Aqs.Shared.Media;
using Aqs.Shared.Rings;
using Aqs.Shared.Timing;

namespace Aqs.Kernel.Encode;

/// <summary>
/// Kernel C's loop: take the newest raw frame (the ring's Latest policy drops what the encoder
/// cannot keep up with, before encoding), encode it in place from the slot, publish each packet to
/// the enc ring with the frame's id and capture time, and report EncoderStats on the control plane.
/// </summary>
public sealed class EncodeKernel
{
    private const int CaptureHistory = 1024;
    private readonly EncodeSettings _settings;
    private readonly long[] _captureNs = new long[CaptureHistory];
    private readonly SlotFlags[] _sourceFlags = new SlotFlags[CaptureHistory];
    private readonly long[] _ptsNs = new long[CaptureHistory];

    private long _framesEncoded;
    private long _bytes;
    private long _keyframes;
    private long _encodeDrops;
    private bool _keyframeRequested;
    private long _bitrateBps;
    private long _frameDurationNs;

    public EncodeKernel(EncodeSettings settings)
    {
        _settings = settings;
        _bitrateBps = settings.Aqs.BitrateBps ?? 4_000_000;
    }

    public int Run(KernelLifetime lifetime)
    {
        var session = _settings.Context.Session;
        using var control = ControlPlane.Start(session, KernelRole.Encode, ControlOptions());
        control.Subscribe<Command>(command => OnCommand(command, lifetime));
        control.Subscribe<KeyframeRequest>(_ => _keyframeRequested = true);
        // Input first: a kernel started without its input ring fails before it creates anything.
        using var raw = FrameReader.Attach(session, "raw", ConsumerPolicy.Latest, "encode", _settings.Context.AttachTimeout);
        using var enc = FrameWriter.Create(session, "enc", new RingOptions(_settings.EncSlots, _settings.EncSlotSize));
        VideoEncoder? encoder = null;
        FrameLayout layout = default;
        var encodeClock = new Stopwatch();
        var active = new Stopwatch();
        try
        {
            if (!enc.WaitForConsumers(1, _settings.Context.AttachTimeout, lifetime.Stopping) && !lifetime.IsStopping)
            {
                Console.Error.WriteLine($"kernel-encode: no consumer attached to the enc ring within {_settings.Context.AttachTimeout.TotalSeconds:F0} s; encoding anyway");
            }
            while (true)
            {
                control.Poll(TimeSpan.Zero);
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
                if (encoder is null)
                {
                    layout = header.Layout;
                    _frameDurationNs = header.DurationNs;
                    encoder = OpenEncoder(layout, header.DurationNs,
                        new ColorDescription(header.ColorRange, header.ColorPrimaries, header.ColorTransfer, header.ColorMatrix));
                    active.Start();
                    Console.Error.WriteLine($"kernel-encode: {encoder.Settings.Codec} {layout} {_bitrateBps / 1e6:F2} Mbit/s -> {enc.Path}");
                }
                else if (header.Width != layout.Width || header.Height != layout.Height || header.Format != layout.Format)
                {
                    Console.Error.WriteLine($"kernel-encode: frame {header.FrameId} is {header.Width}x{header.Height} {header.Format}, the encoder is {layout}; frame skipped");
                    raw.Release();
                    continue;
                }
                var frameId = header.FrameId;
                _captureNs[frameId % CaptureHistory] = header.CaptureTimeNs;
                _sourceFlags[frameId % CaptureHistory] = header.Flags;
                _ptsNs[frameId % CaptureHistory] = header.PtsNs;
                var view = PlanarFrame.FromPacked(layout, slot.Payload[..layout.FrameSize]);
                var forceKey = _keyframeRequested;
                _keyframeRequested = false;
                encodeClock.Restart();
                encoder.Send(view, frameId, forceKey);
                raw.Release();
                Drain(encoder, enc, control, layout, encodeClock);
            }
            if (encoder is not null)
            {
                encoder.Flush();
                Drain(encoder, enc, control, layout, encodeClock);
            }
        }
        finally
        {
            active.Stop();
            enc.Close();
            encoder?.Dispose();
        }
        KernelSummary.Print("kernel-encode", new Dictionary<string, object?>
        {
            ["codec"] = encoder?.Settings.Codec ?? _settings.Codec,
            ["bitrate_target_bps"] = _bitrateBps,
            ["frames_encoded"] = _framesEncoded,
            ["frames_skipped"] = raw.Skipped,
            ["frames_dropped_enc_ring"] = _encodeDrops,
            ["keyframes"] = _keyframes,
            ["bytes"] = _bytes,
            ["active_s"] = active.Elapsed.TotalSeconds,
        });
        return 0;
    }

    private VideoEncoder OpenEncoder(FrameLayout layout, long frameDurationNs, ColorDescription color)
    {
        var fps = frameDurationNs > 0 ? 1e9 / frameDurationNs : 60.0;
        var (num, den) = ToRational(fps);
        return VideoEncoder.Open(new EncoderSettings(_settings.Codec, layout.Width, layout.Height, layout.Format, num, den, _bitrateBps)
        {
            Preset = _settings.Preset ?? "veryfast",
            LowLatency = true,
            Threads = _settings.Threads,
            KeyframeInterval = _settings.KeyframeInterval,
            // A zeroed header (a producer that set no colour) means "unspecified", not "reserved".
            Color = color == default ? ColorDescription.Unknown : color,
        });
    }

    private static (int Num, int Den) ToRational(double fps)
    {
        // Common NTSC rates keep their exact 1001 denominators; everything else in milli-fps.
        foreach (var ntsc in new[] { 24, 30, 60, 120 })
        {
            if (Math.Abs(fps - ntsc * 1000.0 / 1001) < 0.005)
            {
                return (ntsc * 1000, 1001);
            }
        }
        return Math.Abs(fps - Math.Round(fps)) < 1e-6 ? ((int)Math.Round(fps), 1) : ((int)Math.Round(fps * 1000), 1000);
    }

    private void Drain(VideoEncoder encoder, FrameWriter enc, ControlPlane control, FrameLayout layout, Stopwatch encodeClock)
    {
        while (encoder.TryReceive(out var packet))
        {
            var frameId = packet.Pts;
            if (!enc.TryClaim(packet.Data.Length, TimeSpan.FromSeconds(1), out var slot))
            {
                // The network kernel is gone or stuck: a lost packet breaks the references, so ask for a keyframe.
                _encodeDrops++;
                _keyframeRequested = true;
                continue;
            }
            packet.Data.CopyTo(slot.Payload);
            ref var header = ref slot.Header;
            header.FrameId = frameId;
            header.CaptureTimeNs = _captureNs[frameId % CaptureHistory];
            header.PtsNs = _ptsNs[frameId % CaptureHistory];
            header.SetLayout(layout);
            header.Codec = encoder.Codec;
            header.PayloadLength = packet.Data.Length;
            header.Flags = (packet.IsKeyframe ? SlotFlags.Keyframe : SlotFlags.None) | (_sourceFlags[frameId % CaptureHistory] & SlotFlags.SceneCut);
            header.FrameType = packet.Stats.FrameType;
            header.Qp = (int)Math.Round(packet.Stats.Qp);
            header.DurationNs = _frameDurationNs;
            enc.Publish(ref slot);
            _framesEncoded++;
            _bytes += packet.Data.Length;
            if (packet.IsKeyframe)
            {
                _keyframes++;
            }
            control.Publish(new EncoderStats
            {
                TimestampNs = MonotonicClock.NowNs,
                FrameId = frameId,
                Bytes = packet.Data.Length,
                FrameType = packet.Stats.FrameType,
                Qp = (int)Math.Round(packet.Stats.Qp),
                EncodeMs = encodeClock.Elapsed.TotalMilliseconds,
                BitrateBps = _bitrateBps,
                Codec = encoder.Settings.Codec,
                Width = layout.Width,
                Height = layout.Height,
                BitDepth = layout.Format.BitDepth(),
                FramesEncoded = _framesEncoded,
            });
        }
    }

    private void OnCommand(Command command, KernelLifetime lifetime)
    {
        switch (command.Kind)
        {
            case CommandKind.ForceKeyframe:
                _keyframeRequested = true;
                break;
            case CommandKind.Stop:
                lifetime.RequestStop("stop command");
                break;
        }
    }

    private ControlPlaneOptions? ControlOptions() =>
        _settings.Context.ControlPort is { } port ? new ControlPlaneOptions(port) : null;
}
