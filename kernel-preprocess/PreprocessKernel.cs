using System.Diagnostics;
using Aqs.Kernel.Preprocess.Pacing;
using Aqs.Kernel.Preprocess.Sources;
using Aqs.Shared.Compression;
using Aqs.Shared.Frames;
using Aqs.Shared.Contracts;
using Aqs.Shared.Kernel;
using Aqs.Shared.Rings;
using Aqs.Shared.Timing;

namespace Aqs.Kernel.Preprocess;

/// <summary>
/// Kernel B: opens the source and the <c>raw</c> and <c>ref</c> rings, then runs <see cref="FramePublisher"/>
/// frame after frame until the input ends or the kernel is told to stop.
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
        using var source = SourceFactory.Open(_settings.Input, ToSourceOptions() with { Stopping = lifetime.Stopping });
        var layout = source.Layout;
        var frameBytes = layout.FrameSize;
        // A restarted Kernel B takes over rings that still hold its predecessor's frames: go on from the newest.
        var resumeAfter = RingInspector.Newest(session, "ref");
        using var raw = FrameWriter.Create(session, "raw", new RingOptions(_settings.RawSlots, frameBytes));
        using var reference = CreateClosingOnFailure(raw, () => FrameWriter.Create(session, "ref", new RingOptions(_settings.RefSlots, frameBytes)));
        Console.Error.WriteLine($"kernel-preprocess: {_settings.Input} {layout} @ {source.Fps:F2} fps -> {raw.Path}, {reference.Path}");
        LockPages(raw);
        if (_settings.RefCompression == RefCompression.None)
        {
            // Not when compressed: mlock faults in every page of every slot, and the saving of a compressed ref
            // ring is exactly the slot tails that are never touched (tmpfs gives them no memory).
            LockPages(reference);
        }

        // A live source is paced by its device; pacing it again at its timestamps would delay every frame.
        var pacer = new FramePacer(source.IsLive ? PacingMode.Asap : _settings.Pacing, _settings.Speed);
        using var publisher = new FramePublisher(source, raw, reference, pacer, _settings.RefCompression, resumeAfter);
        using var control = ControlPlane.Start(session, KernelRole.Preprocess, _settings.Context.ControlOptions());
        lifetime.PublishHeartbeats(control);
        var active = Stopwatch.StartNew();
        try
        {
            AwaitConsumer(raw, "raw", lifetime);
            AwaitConsumer(reference, "ref", lifetime);
            while (!lifetime.IsStopping && publisher.Step())
            {
                lifetime.Tick();
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
            ["frames_published"] = publisher.Published,
            ["frames_dropped"] = publisher.Dropped,
            ["ref_not_kept"] = publisher.RefNotKept,
            ["timestamp_discontinuities"] = publisher.TimestampDiscontinuities,
            ["ref_compression"] = _settings.RefCompression.Name(),
            ["ref_stored_ratio"] = publisher.RefRawBytes > 0 ? publisher.RefStoredBytes / (double)publisher.RefRawBytes : null,
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
