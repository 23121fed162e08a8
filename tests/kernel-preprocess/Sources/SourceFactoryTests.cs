using Aqs.Kernel.Preprocess.Sources;
using Aqs.Shared.Frames;

namespace Aqs.Kernel.Preprocess.Tests.Sources;

public class SourceFactoryTests
{
    [Test]
    public void Factory_opens_synthetic_with_flags_over_the_input_string()
    {
        using var s = SourceFactory.Open("synthetic:size=64x32,fps=25", new SourceOpenOptions { PixFmt = "yuv422p10le", Seed = 3 });
        Assert.That(s, Is.TypeOf<SyntheticSource>());
        Assert.That((s.Layout, s.Fps), Is.EqualTo((new FrameLayout(64, 32, PixelFormat.Yuv422p10), 25.0)));
        Assert.That(((SyntheticSource)s).Options.Seed, Is.EqualTo(3UL));
        Assert.That(s.Color, Is.EqualTo(ColorDescription.Bt709Limited));
    }

    [Test]
    public void Factory_opens_y4m_and_raw_by_extension_and_wraps_for_playback_options()
    {
        using var files = new TestFiles();
        var layout = new FrameLayout(16, 16, PixelFormat.Yuv420p);
        var y4m = files.Write("a.y4m", TestFiles.Y4m("YUV4MPEG2 W16 H16 F25:1", layout, 2));
        var raw = files.Write("a.yuv", TestFiles.Pattern(layout, 0));
        using (var s = SourceFactory.Open(y4m, new SourceOpenOptions()))
        {
            Assert.That(s, Is.TypeOf<Y4mSource>());
        }
        using (var s = SourceFactory.Open(raw, new SourceOpenOptions { Size = "16x16", Fps = "25", PixFmt = "yuv420p", Playback = new SourceOptions(Loop: true) }))
        {
            Assert.That(s, Is.TypeOf<LoopingSource>());
            Assert.That(((LoopingSource)s).Inner, Is.TypeOf<RawYuvSource>());
        }
    }

    [Test]
    public void Factory_refuses_containers_until_the_media_layer_is_wired()
    {
        using var files = new TestFiles();
        var mp4 = files.Write("clip.mp4", [0, 0, 0, 0x18, (byte)'f', (byte)'t', (byte)'y', (byte)'p']);
        var e = Assert.Throws<SourceException>(() => SourceFactory.Open(mp4, new SourceOpenOptions()))!;
        Assert.That(e.Message, Does.StartWith(mp4 + ": container input needs the media layer"));
        Assert.That(Assert.Throws<SourceException>(() => SourceFactory.Open("srt://host:9000", new SourceOpenOptions()))!.Message,
            Does.Contain("container input needs the media layer"));
    }

    [Test]
    public void Factory_names_a_missing_file() =>
        Assert.That(Assert.Throws<SourceException>(() => SourceFactory.Open("/nonexistent/clip.mkv", new SourceOpenOptions()))!.Message,
            Does.Contain("no such file"));

    [Test]
    public void Factory_refuses_raw_without_size() =>
        Assert.That(Assert.Throws<SourceException>(() => SourceFactory.Open("/tmp/x.yuv", new SourceOpenOptions()))!.Message, Does.Contain("--size"));
}
