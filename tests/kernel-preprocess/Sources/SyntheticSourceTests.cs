using Aqs.Kernel.Preprocess.Sources;
using Aqs.Shared.Frames;

namespace Aqs.Kernel.Preprocess.Tests.Sources;

public class SyntheticSourceTests
{
    private static SyntheticOptions Small(ulong seed = 7) => new()
    {
        Width = 96, Height = 64, Fps = 30, Seed = seed, MotionSpeed = 3, Detail = 0.6, Noise = 0.1,
    };

    private static byte[][] Frames(SyntheticOptions o, int count)
    {
        using var s = new SyntheticSource(o);
        var frames = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            frames[i] = new byte[s.Layout.FrameSize];
            Assert.That(s.TryReadFrame(frames[i], out _), Is.True);
        }
        return frames;
    }

    private static double MeanAbsDiff(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, int length)
    {
        long sum = 0;
        for (var i = 0; i < length; i++)
        {
            sum += Math.Abs(a[i] - b[i]);
        }
        return (double)sum / length;
    }

    [Test]
    public void Synthetic_same_seed_gives_same_bytes()
    {
        var a = Frames(Small(), 12);
        var b = Frames(Small(), 12);
        Assert.That(a.Zip(b).All(p => p.First.SequenceEqual(p.Second)), Is.True);
    }

    [Test]
    public void Synthetic_different_seed_gives_different_content()
    {
        var a = Frames(Small(1), 1)[0];
        var b = Frames(Small(2), 1)[0];
        Assert.That(MeanAbsDiff(a, b, 96 * 64), Is.GreaterThan(5));
    }

    [Test]
    public void Synthetic_frame_is_a_function_of_its_number_so_skip_and_rewind_agree()
    {
        var straight = Frames(Small(), 6);
        using var s = new SyntheticSource(Small());
        var buffer = new byte[s.Layout.FrameSize];
        for (var i = 0; i < 5; i++)
        {
            s.TrySkipFrame();
        }
        s.TryReadFrame(buffer, out var info);
        Assert.That((info.FrameIndex, buffer), Is.EqualTo((5L, straight[5])));
        s.Rewind();
        s.TryReadFrame(buffer, out _);
        Assert.That(buffer, Is.EqualTo(straight[0]));
    }

    [Test]
    public void Synthetic_content_moves_between_frames_but_stays_correlated()
    {
        var o = Small() with { Noise = 0 };
        var f = Frames(o, 3);
        var luma = 96 * 64;
        var change = MeanAbsDiff(f[0], f[1], luma);
        var unrelated = MeanAbsDiff(f[0], Frames(o with { Seed = 99 }, 1)[0], luma);
        Assert.That(change, Is.GreaterThan(0.5), "nothing moved");
        Assert.That(change, Is.LessThan(unrelated), "consecutive frames should be more alike than unrelated ones");
    }

    [Test]
    public void Synthetic_motion_zero_and_no_noise_gives_a_still_picture()
    {
        var f = Frames(Small() with { MotionSpeed = 0, Noise = 0 }, 3);
        Assert.That(f[2], Is.EqualTo(f[0]));
    }

    [Test]
    public void Synthetic_noise_changes_every_frame()
    {
        var f = Frames(Small() with { MotionSpeed = 0, Noise = 0.5 }, 2);
        Assert.That(f[1], Is.Not.EqualTo(f[0]));
    }

    [Test]
    public void Synthetic_scene_cuts_are_flagged_and_really_change_content()
    {
        var o = Small() with { Noise = 0, MotionSpeed = 0, SceneCutEverySeconds = 0.1 }; // every 3 frames at 30 fps
        using var s = new SyntheticSource(o);
        var frames = new List<byte[]>();
        var cuts = new List<long>();
        for (var i = 0; i < 7; i++)
        {
            var b = new byte[s.Layout.FrameSize];
            s.TryReadFrame(b, out var info);
            frames.Add(b);
            if (info.SceneCut)
            {
                cuts.Add(info.FrameIndex);
                Assert.That(info.Keyframe, Is.True);
            }
        }
        Assert.That(cuts, Is.EqualTo(new long[] { 3, 6 }));
        var luma = 96 * 64;
        var within = MeanAbsDiff(frames[1], frames[2], luma);
        var across = MeanAbsDiff(frames[2], frames[3], luma);
        Assert.That(within, Is.Zero, "a still scene should not change");
        Assert.That(across, Is.GreaterThan(10), "a cut should change the picture");
        Assert.That(MeanAbsDiff(frames[5], frames[6], luma), Is.GreaterThan(10), "the second cut too");
    }

    [TestCase(8, ChromaSubsampling.Cs420)]
    [TestCase(10, ChromaSubsampling.Cs420)]
    [TestCase(12, ChromaSubsampling.Cs422)]
    [TestCase(10, ChromaSubsampling.Cs444)]
    [TestCase(8, ChromaSubsampling.Cs444)]
    public void Synthetic_samples_stay_in_limited_range_for_every_format(int depth, ChromaSubsampling chroma)
    {
        var o = Small() with { Width = 37, Height = 23, BitDepth = depth, Chroma = chroma, Noise = 1, Detail = 1 };
        using var s = new SyntheticSource(o);
        var layout = s.Layout;
        Assert.That(layout, Is.EqualTo(new FrameLayout(37, 23, PixelFormats.From(chroma, depth))));
        var buffer = new byte[layout.FrameSize];
        s.TryReadFrame(buffer, out _);
        var frame = PlanarFrame.FromPacked(layout, buffer);
        var shift = depth - 8;
        for (var p = 0; p < 3; p++)
        {
            var (lo, hi) = p == 0 ? (16 << shift, 235 << shift) : (16 << shift, 240 << shift);
            int min = int.MaxValue, max = 0;
            for (var y = 0; y < layout.PlaneHeight(p); y++)
            {
                var row = frame.Row(p, y);
                for (var x = 0; x < layout.PlaneWidth(p); x++)
                {
                    var v = depth == 8 ? row[x] : row[2 * x] | row[2 * x + 1] << 8;
                    min = Math.Min(min, v);
                    max = Math.Max(max, v);
                }
            }
            Assert.That(min, Is.GreaterThanOrEqualTo(lo), $"plane {p}");
            Assert.That(max, Is.LessThanOrEqualTo(hi), $"plane {p}");
            Assert.That(max - min, Is.GreaterThan(4 << shift), $"plane {p} is flat");
        }
    }

    [Test]
    public void Synthetic_timestamps_follow_the_rate()
    {
        using var s = new SyntheticSource(Small() with { Fps = 50 });
        var buffer = new byte[s.Layout.FrameSize];
        s.TryReadFrame(buffer, out var first);
        s.TryReadFrame(buffer, out var second);
        Assert.That((first.PtsNs, second.PtsNs, first.Keyframe), Is.EqualTo((0L, 20_000_000L, true)));
    }

    [Test]
    public void Synthetic_script_cut_and_values_apply_at_their_times()
    {
        var o = Small() with { Noise = 0, MotionSpeed = 0, Script = SyntheticScript.Parse("0s:still;0.1s:cut;5f:pan fast;0.2s:detail 0.9") };
        using var s = new SyntheticSource(o);
        var buffer = new byte[s.Layout.FrameSize];
        var previous = new byte[s.Layout.FrameSize];
        var cuts = new List<long>();
        var changed = new List<long>();
        for (var i = 0; i < 8; i++)
        {
            s.TryReadFrame(buffer, out var info);
            if (info.SceneCut)
            {
                cuts.Add(i);
            }
            if (i > 0 && !buffer.AsSpan().SequenceEqual(previous))
            {
                changed.Add(i);
            }
            buffer.CopyTo(previous, 0);
        }
        Assert.That(cuts, Is.EqualTo(new long[] { 3 }));
        // Still until the cut at frame 3 (new scene), still again at 4, panning from frame 5 on (6 = detail change too).
        Assert.That(changed, Is.EqualTo(new long[] { 3, 6, 7 }).Or.EqualTo(new long[] { 3, 5, 6, 7 }));
    }

    [Test]
    public void Synthetic_rejects_out_of_range_options_in_one_line()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Assert.Throws<SourceException>(() => new SyntheticSource(Small() with { Width = 8000 }))!.Message, Does.Contain("width"));
            Assert.That(Assert.Throws<SourceException>(() => new SyntheticSource(Small() with { Fps = 240 }))!.Message, Does.Contain("fps"));
            Assert.That(Assert.Throws<SourceException>(() => new SyntheticSource(Small() with { BitDepth = 9 }))!.Message, Does.Contain("bit depth"));
            Assert.That(Assert.Throws<SourceException>(() => new SyntheticSource(Small() with { Detail = 2 }))!.Message, Does.Contain("detail"));
        });
    }

    [Test]
    public void Synthetic_options_parse_from_input_string()
    {
        var o = SyntheticOptions.Parse("synthetic:size=3840x2160,fps=120,depth=12,chroma=444,seed=5,motion=8,detail=0.2,noise=0.3,cuts=4,script=0s:calm;3s:pan fast");
        Assert.Multiple(() =>
        {
            Assert.That((o.Width, o.Height, o.Fps, o.BitDepth, o.Chroma), Is.EqualTo((3840, 2160, 120.0, 12, ChromaSubsampling.Cs444)));
            Assert.That((o.Seed, o.MotionSpeed, o.Detail, o.Noise, o.SceneCutEverySeconds), Is.EqualTo((5UL, 8.0, 0.2, 0.3, 4.0)));
            Assert.That(o.Script!.Entries, Has.Count.EqualTo(2));
        });
    }

    [TestCase("synthetic:size=big", "bad size")]
    [TestCase("synthetic:colour=red", "unknown option 'colour'")]
    [TestCase("synthetic:depth", "must be key=value")]
    [TestCase("synthetic:chroma=411", "bad chroma")]
    public void Synthetic_bad_option_string_fails_in_one_line(string input, string expected) =>
        Assert.That(Assert.Throws<SourceException>(() => SyntheticOptions.Parse(input))!.Message, Does.Contain(expected));
}
