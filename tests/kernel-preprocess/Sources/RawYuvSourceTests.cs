using Aqs.Kernel.Preprocess.Sources;
using Aqs.Shared.Frames;

namespace Aqs.Kernel.Preprocess.Tests.Sources;

public class RawYuvSourceTests
{
    private TestFiles _files = null!;

    [SetUp]
    public void SetUp() => _files = new TestFiles();

    [TearDown]
    public void TearDown() => _files.Dispose();

    private string WriteRaw(FrameLayout layout, int frames, int trim = 0)
    {
        var bytes = Enumerable.Range(0, frames).SelectMany(i => TestFiles.Pattern(layout, i)).ToArray();
        return _files.Write("r.yuv", bytes[..^trim]);
    }

    [Test]
    public void Raw_reads_frames_with_given_size_rate_and_format()
    {
        var layout = new FrameLayout(33, 17, PixelFormat.Yuv420p10);
        var path = WriteRaw(layout, 3);
        using var source = RawYuvSource.Open(path, "33x17", "30000/1001", "yuv420p10le");
        var buffer = new byte[layout.FrameSize];
        for (var i = 0; i < 3; i++)
        {
            Assert.That(source.TryReadFrame(buffer, out var info), Is.True);
            Assert.That(buffer, Is.EqualTo(TestFiles.Pattern(layout, i)));
            Assert.That(info.PtsNs, Is.EqualTo(i * 1001L * 1_000_000_000 / 30000));
        }
        Assert.That(source.TryReadFrame(buffer, out _), Is.False);
        Assert.That(source.Fps, Is.EqualTo(30000 / 1001.0).Within(1e-9));
    }

    [Test]
    public void Raw_partial_last_frame_fails_naming_frame_and_byte()
    {
        var layout = new FrameLayout(16, 16, PixelFormat.Yuv444p);
        var path = WriteRaw(layout, 3, trim: 10);
        using var source = RawYuvSource.Open(path, layout, new FrameRate(25, 1));
        var buffer = new byte[layout.FrameSize];
        Assert.That(source.TryReadFrame(buffer, out _) && source.TryReadFrame(buffer, out _), Is.True);
        var e = Assert.Throws<SourceException>(() => source.TryReadFrame(buffer, out _))!;
        Assert.That(e.Message, Does.StartWith($"{path}: frame 2 at byte {2 * layout.FrameSize}: truncated"));
    }

    [TestCase(null, "25", "yuv420p", "--size")]
    [TestCase("16x", "25", "yuv420p", "--size")]
    [TestCase("16x16", null, "yuv420p", "--fps")]
    [TestCase("16x16", "0", "yuv420p", "--fps")]
    [TestCase("16x16", "25", "rgb24", "--pix-fmt")]
    public void Raw_without_usable_options_fails_in_one_line(string? size, string? fps, string? pixFmt, string expected)
    {
        var path = WriteRaw(new FrameLayout(16, 16, PixelFormat.Yuv420p), 1);
        var e = Assert.Throws<SourceException>(() => RawYuvSource.Open(path, size, fps, pixFmt))!;
        Assert.That(e.Message, Does.Contain(expected));
    }

    [Test]
    public void Raw_skip_and_rewind_use_frame_offsets()
    {
        var layout = new FrameLayout(16, 16, PixelFormat.Gray8);
        var path = WriteRaw(layout, 3);
        using var source = RawYuvSource.Open(path, layout, new FrameRate(25, 1));
        var buffer = new byte[layout.FrameSize];
        Assert.That(source.TrySkipFrame() && source.TrySkipFrame(), Is.True);
        Assert.That(source.TryReadFrame(buffer, out _), Is.True);
        Assert.That(buffer, Is.EqualTo(TestFiles.Pattern(layout, 2)));
        Assert.That(source.TrySkipFrame(), Is.False);
        source.Rewind();
        Assert.That(source.TryReadFrame(buffer, out _), Is.True);
        Assert.That(buffer, Is.EqualTo(TestFiles.Pattern(layout, 0)));
    }
}
