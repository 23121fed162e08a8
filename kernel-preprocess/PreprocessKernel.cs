using System.Diagnostics;
using Aqs.Kernel.Preprocess.Pacing;
using Aqs.Kernel.Preprocess.Sources;
using Aqs.Shared.Frames;
using Aqs.Shared.Kernel;
using Aqs.Shared.Rings;
using Aqs.Shared.Timing;

namespace Aqs.Kernel.Preprocess;

/// <summary>
/// Kernel B's loop: read a frame straight into a <c>ref</c> slot, wait until it is due, stamp the
/// capture time, copy it into a <c>raw</c> slot and publish both (ref first, so the display always
/// finds the reference of whatever it decodes).
/// </summary>
public sealed class PreprocessKernel
{
    private readonly PreprocessSettings _settings;

    public PreprocessKernel(PreprocessSettings settings)
    {
        _settings = settings;
    }

    public int Run(KernelLifetime lifetime)
    {
        var session = _settings.Context.Session;
        using var source = SourceFactory.Open(_settings.Input, ToSourceOptions());
        var layout = source.Layout;
        var frameBytes = layout.FrameSize;
        using var raw = FrameWriter.Create(session, "raw", new RingOptions(_settings.RawSlots, frameBytes));
        using var reference = CreateClosingOnFailure(raw, () => FrameWriter.Create(session, "ref", new RingOptions(_settings.RefSlots, frameBytes)));
        Console.Error.WriteLine($"kernel-preprocess: {_settings.Input} {layout} @ {source.Fps:F2} fps -> {raw.Path}, {reference.Path}");
        LockPages(raw);
        LockPages(reference);

        var pacer = new FramePacer(_settings.Pacing, _settings.Speed);
        var frameInterval = TimeSpan.FromSeconds(1.0 / Math.Max(1.0, source.Fps));
        var scratch = new byte[frameBytes]; // where a frame goes when the display lags and there is no ref slot
        long published = 0, dropped = 0;
        var active = Stopwatch.StartNew();
        try
        {
            AwaitConsumer(raw, "raw", lifetime);
            AwaitConsumer(reference, "ref", lifetime);
            while (!lifetime.IsStopping)
            {
                if (!reference.TryClaim(frameBytes, frameInterval * 2, out var refSlot))
                {
                    // The display is more than a ring behind: keep the source moving, drop this frame.
                    if (!source.TryReadFrame(scratch, out _))
                    {
                        break;
                    }
                    dropped++;
                    continue;
                }
                if (!source.TryReadFrame(refSlot.Payload, out var info))
                {
                    break;
                }
                pacer.WaitUntilDue(info.PtsNs);
                var frameId = published + dropped;
                Stamp(ref refSlot.Header, layout, source, info, frameId, MonotonicClock.NowNs, frameBytes);
                if (raw.TryClaim(frameBytes, frameInterval, out var rawSlot))
                {
                    refSlot.Payload[..frameBytes].CopyTo(rawSlot.Payload);
                    rawSlot.Header = refSlot.Header;
                    reference.Publish(ref refSlot);
                    raw.Publish(ref rawSlot);
                    published++;
                }
                else
                {
                    reference.Publish(ref refSlot);
                    dropped++;
                }
            }
        }
        finally
        {
            active.Stop();
            raw.Close();
            reference.Close();
        }
        KernelSummary.Print("kernel-preprocess", new Dictionary<string, object?>
        {
            ["input"] = _settings.Input,
            ["width"] = layout.Width,
            ["height"] = layout.Height,
            ["pix_fmt"] = layout.Format.FfmpegName(),
            ["fps"] = source.Fps,
            ["frames_published"] = published,
            ["frames_dropped"] = dropped,
            ["active_s"] = active.Elapsed.TotalSeconds,
            ["stop_reason"] = lifetime.StopReason ?? "end of input",
        });
        return 0;
    }

    /// <summary>Seed 6/10.1: ring pages stay in RAM when the system allows it; otherwise one warning line and go on.</summary>
    private static void LockPages(FrameWriter ring)
    {
        if (!ring.TryLockPages(out var reason))
        {
            Console.Error.WriteLine($"kernel-preprocess: warning: pages not locked: {reason}");
        }
    }

    private static FrameWriter CreateClosingOnFailure(FrameWriter already, Func<FrameWriter> create)
    {
        try
        {
            return create();
        }
        catch
        {
            already.Close();
            throw;
        }
    }

    private void AwaitConsumer(FrameWriter ring, string name, KernelLifetime lifetime)
    {
        if (!ring.WaitForConsumers(1, _settings.Context.AttachTimeout, lifetime.Stopping) && !lifetime.IsStopping)
        {
            Console.Error.WriteLine($"kernel-preprocess: no consumer attached to the {name} ring within {_settings.Context.AttachTimeout.TotalSeconds:F0} s; publishing anyway");
        }
    }

    private static void Stamp(ref SlotHeader header, FrameLayout layout, IFrameSource source, SourceFrameInfo info, long frameId, long captureNs, int frameBytes)
    {
        header.FrameId = frameId;
        header.CaptureTimeNs = captureNs;
        header.PtsNs = info.PtsNs;
        header.DurationNs = (long)(1e9 / Math.Max(1.0, source.Fps));
        header.Width = layout.Width;
        header.Height = layout.Height;
        header.Format = layout.Format;
        header.BitDepth = (byte)layout.Format.BitDepth();
        header.Codec = VideoCodec.None;
        header.PayloadLength = frameBytes;
        header.Flags = info.SceneCut ? SlotFlags.SceneCut : SlotFlags.None;
        header.ColorRange = (byte)source.Color.Range;
        header.ColorPrimaries = (byte)source.Color.Primaries;
        header.ColorTransfer = (byte)source.Color.Transfer;
        header.ColorMatrix = (byte)source.Color.Matrix;
    }

    private SourceOpenOptions ToSourceOptions() => new()
    {
        Size = _settings.Size,
        Fps = _settings.Fps,
        PixFmt = _settings.PixelFormat,
        Script = _settings.Script,
        Seed = _settings.Seed,
        Playback = new SourceOptions(_settings.Loop, _settings.StartFrame, _settings.FrameLimit ?? 0),
    };
}
