using Aqs.Kernel.Display.Decoding;
using Aqs.Kernel.Display.Pictures;
using Aqs.Kernel.Display.Tests.Infrastructure;
using Aqs.Shared.Frames;

namespace Aqs.Kernel.Display.Tests.Decoding;

public sealed class DecodeStageTests
{
    private static readonly FrameLayout Source = new(320, 180, PixelFormat.Yuv420p);

    [Test]
    public void Every_rung_of_a_stream_that_switches_size_and_bit_depth_decodes_without_a_glitch()
    {
        EncodedStream.RequireX264();
        var rungs = new[]
        {
            (Source, 8),
            (new FrameLayout(160, 90, PixelFormat.Yuv420p), 8),
            (new FrameLayout(240, 136, PixelFormat.Yuv420p10), 8),
            (Source, 8),
        };
        var stream = EncodedStream.Encode(Source, rungs);
        using var stage = new DecodeStage(new PicturePool());
        var shown = new List<(long Id, FrameLayout Layout)>();
        foreach (var frame in stream)
        {
            var header = frame.Header();
            Assert.That(stage.Decode(header, frame.Data, 0, 0, p => { shown.Add((p.FrameId, p.Layout)); p.Release(); }), Is.True, $"frame {frame.FrameId}");
        }
        stage.Drain(0, p => { shown.Add((p.FrameId, p.Layout)); p.Release(); });

        Assert.That(shown.Select(s => s.Id), Is.EqualTo(stream.Select(f => f.FrameId)), "every frame, in order, none lost at a switch");
        Assert.That(shown.Select(s => s.Layout), Is.EqualTo(stream.Select(f => f.Layout)), "each picture at the rung it was encoded at");
        Assert.That(stage.DecodeErrors, Is.Zero);
        Assert.That(stage.RungSwitches, Is.EqualTo(3));
    }

    [Test]
    public void A_damaged_stream_shows_no_concealed_picture_asks_for_a_keyframe_and_resumes_at_the_next()
    {
        EncodedStream.RequireX264();
        var first = EncodedStream.Encode(Source, (Source, 30));
        var keyframeAfter = EncodedStream.Encode(Source, (Source, 10)).Select(f => f with { FrameId = f.FrameId + 30 });
        var stream = first.Where(f => f.FrameId is < 10 or > 14).Concat(keyframeAfter).ToList(); // frames 10..14 removed
        using var stage = new DecodeStage(new PicturePool());
        var shown = new List<long>();
        var unhealthy = new List<(long Id, long AtNs)>();
        const long interval = 33_333_333;
        foreach (var frame in stream)
        {
            var now = frame.FrameId * interval;
            if (!stage.Tick(now) | !stage.Decode(frame.Header(), frame.Data, 0, now, p => { shown.Add(p.FrameId); p.Release(); }))
            {
                unhealthy.Add((frame.FrameId, now));
            }
        }
        Assert.That(unhealthy, Is.Not.Empty, "the missing frames are noticed (libavcodec alone conceals them silently)");
        Assert.That(unhealthy[0].AtNs - 15 * interval, Is.InRange(DecodeStage.ReorderHoldNs, DecodeStage.ReorderHoldNs + interval),
            "once frame 15 has waited its reorder hold for frames 10..14");
        Assert.That(stage.LastProblem, Does.Contain("frame 15"));
        Assert.That(stage.MissingReferences, Is.EqualTo(1));
        Assert.That(shown.Where(id => id < 30), Is.EqualTo(Enumerable.Range(0, 10).Select(i => (long)i)),
            "nothing after the damage is shown until the keyframe");
        Assert.That(shown.Where(id => id >= 30), Is.EqualTo(Enumerable.Range(30, 10).Select(i => (long)i)), "clean again from the keyframe on");
        Assert.That(stage.SkippedUntilKeyframe, Is.EqualTo(15), "frames 15..29 waited for the keyframe");
    }

    [Test]
    public void A_frame_overtaken_by_the_next_ones_is_decoded_in_order_when_it_arrives_without_asking_for_a_keyframe()
    {
        EncodedStream.RequireX264();
        var stream = EncodedStream.Encode(Source, (Source, 20)).ToList();
        // Frame 8 arrives after 9 and 10 (its retransmission was on the way).
        var order = stream.Take(8).Concat(stream.Skip(9).Take(2)).Append(stream[8]).Concat(stream.Skip(11)).ToList();
        using var stage = new DecodeStage(new PicturePool());
        var shown = new List<long>();
        var now = 0L;
        foreach (var frame in order)
        {
            now += 20_000_000;
            Assert.That(stage.Tick(now), Is.True, $"nothing given up at frame {frame.FrameId}");
            Assert.That(stage.Decode(frame.Header(), frame.Data, 0, now, p => { shown.Add(p.FrameId); p.Release(); }), Is.True, $"frame {frame.FrameId}");
        }
        stage.Drain(now, p => { shown.Add(p.FrameId); p.Release(); });
        Assert.Multiple(() =>
        {
            Assert.That(shown, Is.EqualTo(stream.Select(f => f.FrameId)), "every frame, in sending order");
            Assert.That(stage.MissingReferences, Is.Zero);
            Assert.That(stage.SkippedUntilKeyframe, Is.Zero);
            Assert.That(stage.FramesReordered, Is.EqualTo(3), "8, then the held 9 and 10");
            Assert.That(stage.DecodeErrors, Is.Zero);
        });
    }
}
