using System.Text;
using Aqs.Kernel.Preprocess.Sources;
using Aqs.Shared.Frames;

namespace Aqs.Kernel.Preprocess.Tests.Sources;

public class Y4mSourceTests
{
    private TestFiles _files = null!;

    [SetUp]
    public void SetUp() => _files = new TestFiles();

    [TearDown]
    public void TearDown() => _files.Dispose();

    private static List<byte[]> ReadAll(IFrameSource source, List<SourceFrameInfo>? infos = null)
    {
        var frames = new List<byte[]>();
        var buffer = new byte[source.Layout.FrameSize];
        while (source.TryReadFrame(buffer, out var info))
        {
            frames.Add(buffer.ToArray());
            infos?.Add(info);
        }
        return frames;
    }

    [TestCase("C420jpeg", PixelFormat.Yuv420p, 64, 48)]
    [TestCase("C422", PixelFormat.Yuv422p, 33, 17)]
    [TestCase("C444p10", PixelFormat.Yuv444p10, 20, 10)]
    [TestCase("C420p12", PixelFormat.Yuv420p12, 31, 9)]
    [TestCase("Cmono", PixelFormat.Gray8, 16, 16)]
    public void Y4m_delivers_every_frame_byte_exact(string tag, PixelFormat format, int w, int h)
    {
        var layout = new FrameLayout(w, h, format);
        var path = _files.Write("a.y4m", TestFiles.Y4m($"YUV4MPEG2 W{w} H{h} F30:1 Ip {tag}", layout, 5));
        using var source = Y4mSource.Open(path);
        var infos = new List<SourceFrameInfo>();
        var frames = ReadAll(source, infos);
        Assert.That(source.Layout, Is.EqualTo(layout));
        Assert.That(frames, Has.Count.EqualTo(5));
        for (var i = 0; i < 5; i++)
        {
            Assert.That(frames[i], Is.EqualTo(TestFiles.Pattern(layout, i)), $"frame {i}");
            Assert.That(infos[i].FrameIndex, Is.EqualTo(i));
            Assert.That(infos[i].PtsNs, Is.EqualTo(i * 1_000_000_000L / 30));
        }
        Assert.That(infos[0].Keyframe, Is.True);
    }

    [Test]
    public void Y4m_frames_larger_than_the_read_buffer_arrive_whole()
    {
        var layout = new FrameLayout(320, 240, PixelFormat.Yuv444p10); // 460 KB a frame, several buffer refills
        var path = _files.Write("big.y4m", TestFiles.Y4m("YUV4MPEG2 W320 H240 F25:1 C444p10", layout, 3));
        using var source = Y4mSource.Open(path);
        var frames = ReadAll(source);
        Assert.That(frames.Select((f, i) => f.SequenceEqual(TestFiles.Pattern(layout, i))), Is.All.True);
    }

    [Test]
    public void Y4m_frame_parameters_are_accepted_and_interlace_is_reported()
    {
        var layout = new FrameLayout(16, 16, PixelFormat.Yuv420p);
        var path = _files.Write("m.y4m", TestFiles.Y4m("YUV4MPEG2 W16 H16 F25:1 Im C420jpeg", layout, 3, " Itpp Xfoo=bar"));
        using var source = Y4mSource.Open(path);
        var frames = ReadAll(source);
        Assert.Multiple(() =>
        {
            Assert.That(frames, Has.Count.EqualTo(3));
            Assert.That(source.Interlace, Is.EqualTo(Y4mInterlace.Mixed));
            Assert.That(source.LastFrameInterlaceTag, Is.EqualTo('t'));
            Assert.That(frames[2], Is.EqualTo(TestFiles.Pattern(layout, 2)));
        });
    }

    [Test]
    public void Y4m_colour_range_tag_reaches_color_info()
    {
        var layout = new FrameLayout(16, 16, PixelFormat.Yuv420p);
        var path = _files.Write("r.y4m", TestFiles.Y4m("YUV4MPEG2 W16 H16 F25:1 C420jpeg XCOLORRANGE=FULL", layout, 1));
        using var source = Y4mSource.Open(path);
        Assert.That(source.Color.Range, Is.EqualTo(ColorDescription.RangeFull));
    }

    [Test]
    public void Y4m_truncated_frame_fails_naming_file_frame_and_byte_after_delivering_earlier_frames()
    {
        var layout = new FrameLayout(16, 16, PixelFormat.Yuv420p);
        var whole = TestFiles.Y4m("YUV4MPEG2 W16 H16 F25:1 C420jpeg", layout, 3);
        var path = _files.Write("t.y4m", whole[..^100]);
        using var source = Y4mSource.Open(path);
        var buffer = new byte[layout.FrameSize];
        Assert.That(source.TryReadFrame(buffer, out _), Is.True);
        Assert.That(source.TryReadFrame(buffer, out _), Is.True);
        var e = Assert.Throws<SourceException>(() => source.TryReadFrame(buffer, out _))!;
        var frame2Offset = 33 + 2 * (6 + layout.FrameSize);
        Assert.That(e.Message, Does.StartWith(path + ": frame 2 at byte " + frame2Offset + ": truncated"));
    }

    [Test]
    public void Y4m_garbled_frame_marker_fails_naming_the_frame()
    {
        var layout = new FrameLayout(16, 16, PixelFormat.Yuv420p);
        var bytes = TestFiles.Y4m("YUV4MPEG2 W16 H16 F25:1 C420jpeg", layout, 3);
        var secondFrame = 33 + 6 + layout.FrameSize;
        Encoding.ASCII.GetBytes("GARBL").CopyTo(bytes, secondFrame);
        var path = _files.Write("g.y4m", bytes);
        using var source = Y4mSource.Open(path);
        var buffer = new byte[layout.FrameSize];
        Assert.That(source.TryReadFrame(buffer, out _), Is.True);
        var e = Assert.Throws<SourceException>(() => source.TryReadFrame(buffer, out _))!;
        Assert.That(e.Message, Does.StartWith($"{path}: frame 1 at byte {secondFrame}: expected a FRAME line"));
    }

    [Test]
    public void Y4m_header_that_lies_about_size_fails_at_the_first_mismatching_frame()
    {
        var real = new FrameLayout(16, 16, PixelFormat.Yuv420p);
        var bytes = TestFiles.Y4m("YUV4MPEG2 W16 H14 F25:1 C420jpeg", real, 4); // says 16x14, frames are 16x16
        var path = _files.Write("lie.y4m", bytes);
        using var source = Y4mSource.Open(path);
        var e = Assert.Throws<SourceException>(() => ReadAll(source))!;
        Assert.That(e.Message, Does.Contain("frame 1 at byte").And.Contain("expected a FRAME line"));
    }

    [Test]
    public void Y4m_with_header_only_has_no_frames()
    {
        var path = _files.Write("h.y4m", Encoding.ASCII.GetBytes("YUV4MPEG2 W16 H16 F25:1\n"));
        using var source = Y4mSource.Open(path);
        Assert.That(source.TryReadFrame(new byte[source.Layout.FrameSize], out _), Is.False);
    }

    [TestCase("", "empty file")]
    [TestCase("YUV4MPEG2 W16 H16", "ends inside the YUV4MPEG2 header")]
    [TestCase("\u0089PNG\r\n", "not a YUV4MPEG2 file")]
    public void Y4m_unreadable_start_fails_in_one_line(string content, string expected)
    {
        var path = _files.Write("bad.y4m", Encoding.Latin1.GetBytes(content));
        var e = Assert.Throws<SourceException>(() => Y4mSource.Open(path))!;
        Assert.That(e.Message, Does.StartWith(path).And.Contain(expected).And.Not.Contain("\n"));
    }

    [Test]
    public void Y4m_missing_file_fails_in_one_line() =>
        Assert.That(Assert.Throws<SourceException>(() => Y4mSource.Open(_files.Path_("nope.y4m")))!.Message, Does.Contain("no such file"));

    [Test]
    public void Y4m_rewind_and_skip_reach_the_right_frames()
    {
        var layout = new FrameLayout(16, 16, PixelFormat.Yuv420p);
        var path = _files.Write("s.y4m", TestFiles.Y4m("YUV4MPEG2 W16 H16 F25:1", layout, 4, " Ip"));
        using var source = Y4mSource.Open(path);
        var buffer = new byte[layout.FrameSize];
        Assert.That(source.TrySkipFrame() && source.TrySkipFrame(), Is.True);
        Assert.That(source.TryReadFrame(buffer, out var info), Is.True);
        Assert.That((info.FrameIndex, buffer), Is.EqualTo((2L, TestFiles.Pattern(layout, 2))));
        source.Rewind();
        Assert.That(source.TryReadFrame(buffer, out info), Is.True);
        Assert.That((info.FrameIndex, buffer), Is.EqualTo((0L, TestFiles.Pattern(layout, 0))));
    }

    [Test]
    public void Y4m_skip_over_a_truncated_frame_fails()
    {
        var layout = new FrameLayout(16, 16, PixelFormat.Yuv420p);
        var bytes = TestFiles.Y4m("YUV4MPEG2 W16 H16 F25:1", layout, 2);
        var path = _files.Write("st.y4m", bytes[..^5]);
        using var source = Y4mSource.Open(path);
        Assert.That(source.TrySkipFrame(), Is.True);
        Assert.That(Assert.Throws<SourceException>(() => source.TrySkipFrame())!.Message, Does.Contain("frame 1").And.Contain("truncated"));
    }
}
