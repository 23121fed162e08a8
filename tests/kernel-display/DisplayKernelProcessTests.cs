using Aqs.Kernel.Display.Tests.Infrastructure;
using Aqs.Shared.Contracts;
using Aqs.Shared.Frames;

namespace Aqs.Kernel.Display.Tests;

/// <summary>The real kernel-display process, fed real libx264 frames through real rings.</summary>
[NonParallelizable]
public sealed class DisplayKernelProcessTests
{
    private static readonly FrameLayout Source = new(320, 180, PixelFormat.Yuv420p);

    [Test]
    [CancelAfter(120_000)]
    public void With_frames_removed_from_rx_the_last_good_picture_is_held_and_a_keyframe_request_goes_out()
    {
        EncodedStream.RequireX264();
        // 30 fps, 4 s; frames 60..74 (500 ms) never reach rx and no keyframe follows.
        var stream = EncodedStream.Encode(Source, (Source, 120));
        var log = Path.Combine(Path.GetTempPath(), $"aqs-display-frames-{Environment.ProcessId}.jsonl");
        using var display = new DisplayProcess(256 * 1024, Source.FrameSize, "--render", "off", "--jitter-buffer", "off", "--frames-jsonl", log);
        display.Play(stream, 30, id => id is >= 60 and < 75);
        var summary = display.Finish();

        var requests = display.Messages.OfType<KeyframeRequest>().ToList();
        Assert.That(requests, Is.Not.Empty, "the display asked for a keyframe when it saw a reference picture missing");
        Assert.That(requests[0].From, Is.EqualTo(KernelRole.Display));
        Assert.That(requests[0].LastGoodFrameId, Is.EqualTo(59));
        var presented = File.ReadAllLines(log).Where(l => l.Contains("\"presented\"")).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("frame").GetInt64()).ToList();
        File.Delete(log);
        Assert.That(presented.Max(), Is.EqualTo(59), "no smeared picture after the gap: the last good one stays on screen");
        Assert.That(summary.GetProperty("missing_references").GetInt64(), Is.EqualTo(1));
        Assert.That(summary.GetProperty("frames_skipped_until_keyframe").GetInt64(), Is.EqualTo(45));
        var feedback = display.Messages.OfType<QualityFeedback>().ToList();
        Assert.That(feedback.Count, Is.GreaterThan(10), "QualityFeedback about every 100 ms");
        Assert.That(feedback.Any(f => f.FramesMeasured > 0 && f.Ssim > 0.9 && f.Width == 320 && f.WindowMs > 0), Is.True);
        Assert.That(feedback[^1].LatencyMs, Is.GreaterThan(feedback.First(f => f.FramesMeasured > 0).LatencyMs),
            "the held picture's on-screen age keeps growing in the feedback");
    }

    [Test]
    [CancelAfter(120_000)]
    public void A_gap_healed_by_a_keyframe_is_one_freeze_as_long_as_the_presented_interval_across_it()
    {
        EncodedStream.RequireX264();
        // 30 fps: 60 frames, a 500 ms hole (15 frames), then a new keyframe-started run: exactly one freeze.
        var before = EncodedStream.Encode(Source, (Source, 60));
        var after = EncodedStream.Encode(Source, (Source, 45)).Select(f => f with { FrameId = f.FrameId + 75 }).ToList();
        using var display = new DisplayProcess(256 * 1024, Source.FrameSize, "--render", "off", "--jitter-buffer", "off");
        var stream = before.Concat(EncodedStream.Encode(Source, (Source, 15)).Select(f => f with { FrameId = f.FrameId + 60 })).Concat(after).ToList();
        display.Play(stream, 30, id => id is >= 60 and < 75);
        var summary = display.Finish();

        Assert.That(summary.GetProperty("freezes").GetInt64(), Is.EqualTo(1));
        // The presented interval across the hole: 16 frame intervals of 33.3 ms, give or take a refresh each side.
        Assert.That(summary.GetProperty("freeze_ms").GetDouble(), Is.InRange(533 - 40, 533 + 40));
        Assert.That(summary.GetProperty("age_ms_max").GetDouble(), Is.GreaterThan(500), "the on-screen age grew through the hole");
    }
}
