using System.Text;
using Aqs.Kernel.Preprocess.Sources;
using Aqs.Shared.Frames;

namespace Aqs.Kernel.Preprocess.Tests.Sources;

public class Y4mHeaderTests
{
    private static Y4mHeader Parse(string line) => Y4mHeader.Parse(Encoding.ASCII.GetBytes(line), "x.y4m");

    [TestCase("C420jpeg", PixelFormat.Yuv420p, Y4mChromaSiting.Center)]
    [TestCase("C420paldv", PixelFormat.Yuv420p, Y4mChromaSiting.TopLeft)]
    [TestCase("C420mpeg2", PixelFormat.Yuv420p, Y4mChromaSiting.Left)]
    [TestCase("C420", PixelFormat.Yuv420p, Y4mChromaSiting.Center)]
    [TestCase("C422", PixelFormat.Yuv422p, Y4mChromaSiting.Unspecified)]
    [TestCase("C444", PixelFormat.Yuv444p, Y4mChromaSiting.Unspecified)]
    [TestCase("C420p10", PixelFormat.Yuv420p10, Y4mChromaSiting.Center)]
    [TestCase("C422p10", PixelFormat.Yuv422p10, Y4mChromaSiting.Unspecified)]
    [TestCase("C444p10", PixelFormat.Yuv444p10, Y4mChromaSiting.Unspecified)]
    [TestCase("C420p12", PixelFormat.Yuv420p12, Y4mChromaSiting.Center)]
    [TestCase("C422p12", PixelFormat.Yuv422p12, Y4mChromaSiting.Unspecified)]
    [TestCase("C444p12", PixelFormat.Yuv444p12, Y4mChromaSiting.Unspecified)]
    [TestCase("Cmono", PixelFormat.Gray8, Y4mChromaSiting.Unspecified)]
    [TestCase("", PixelFormat.Yuv420p, Y4mChromaSiting.Center)]
    public void Header_maps_every_colour_space_tag(string tag, PixelFormat format, Y4mChromaSiting siting)
    {
        var h = Parse($"YUV4MPEG2 W64 H48 F30:1 Ip A1:1 {tag}".TrimEnd());
        Assert.Multiple(() =>
        {
            Assert.That(h.Format, Is.EqualTo(format));
            Assert.That(h.ChromaSiting, Is.EqualTo(siting));
            Assert.That(h.Layout, Is.EqualTo(new FrameLayout(64, 48, format)));
        });
    }

    [Test]
    public void Header_reads_all_fields_and_extensions()
    {
        var h = Parse("YUV4MPEG2 W1920 H1080 F30000:1001 It A128:117 C420mpeg2 XYSCSS=420MPEG2 XCOLORRANGE=FULL Zfoo");
        Assert.Multiple(() =>
        {
            Assert.That((h.Width, h.Height), Is.EqualTo((1920, 1080)));
            Assert.That(h.Rate, Is.EqualTo(new FrameRate(30000, 1001)));
            Assert.That((h.AspectNumerator, h.AspectDenominator), Is.EqualTo((128, 117)));
            Assert.That(h.Interlace, Is.EqualTo(Y4mInterlace.TopFieldFirst));
            Assert.That(h.ColorRange, Is.EqualTo(ColorDescription.RangeFull));
            Assert.That(h.Extensions, Is.EqualTo(new[] { "YSCSS=420MPEG2", "COLORRANGE=FULL" }));
        });
    }

    [TestCase("Ip", Y4mInterlace.Progressive)]
    [TestCase("It", Y4mInterlace.TopFieldFirst)]
    [TestCase("Ib", Y4mInterlace.BottomFieldFirst)]
    [TestCase("Im", Y4mInterlace.Mixed)]
    [TestCase("I?", Y4mInterlace.Unknown)]
    public void Header_reports_interlace_tag(string tag, Y4mInterlace expected) =>
        Assert.That(Parse($"YUV4MPEG2 W16 H16 F25:1 {tag}").Interlace, Is.EqualTo(expected));

    [Test]
    public void Header_without_rate_defaults_to_25_fps_like_ffmpeg() =>
        Assert.That(Parse("YUV4MPEG2 W16 H16").Rate.Fps, Is.EqualTo(25));

    [Test]
    public void Header_uses_yscss_when_c_tag_is_missing() =>
        Assert.That(Parse("YUV4MPEG2 W16 H16 F25:1 XYSCSS=420P10").Format, Is.EqualTo(PixelFormat.Yuv420p10));

    [TestCase("YUV4MPEG2 W16 H16 C444alpha", "C444alpha")]
    [TestCase("YUV4MPEG2 W16 H16 C411", "C411")]
    [TestCase("YUV4MPEG2 W16 H16 C420p16", "C420p16")]
    [TestCase("YUV4MPEG2 W16 H16 Cfoo", "unknown Y4M colour space Cfoo")]
    [TestCase("YUV4MPEG2 H16", "no width")]
    [TestCase("YUV4MPEG2 W16", "no height")]
    [TestCase("YUV4MPEG2 W0 H16", "bad width")]
    [TestCase("YUV4MPEG2 W99999 H16", "bad width")]
    [TestCase("YUV4MPEG2 W16 H-4", "bad height")]
    [TestCase("YUV4MPEG2 W16 H16 F30", "bad frame rate")]
    [TestCase("YUV4MPEG2 W16 H16 F0:1", "frame rate")]
    [TestCase("YUV4MPEG2 W16 H16 Ix", "bad interlace tag")]
    [TestCase("YUV4MPEG2 W16 H16 Axx", "bad aspect")]
    [TestCase("YUV4MPEG3 W16 H16", "not a YUV4MPEG2 file")]
    [TestCase("RIFF....", "not a YUV4MPEG2 file")]
    public void Header_refuses_bad_or_unsupported_tags_in_one_line(string line, string expected)
    {
        var e = Assert.Throws<SourceException>(() => Parse(line))!;
        Assert.That(e.Message, Does.Contain(expected).And.StartWith("x.y4m:"));
        Assert.That(e.Message, Does.Not.Contain("\n"));
    }

    [Test]
    public void Header_alpha_error_says_alpha_is_not_carried() =>
        Assert.That(Assert.Throws<SourceException>(() => Parse("YUV4MPEG2 W16 H16 C444alpha"))!.Message, Does.Contain("alpha"));
}
