using Aqs.Shared.Frames;

namespace Aqs.Shared.Tests.Frames;

public class FrameLayoutTests
{
    [Test]
    public void Odd_sized_420_frame_rounds_chroma_up()
    {
        var layout = new FrameLayout(5, 3, PixelFormat.Yuv420p);
        Assert.Multiple(() =>
        {
            Assert.That(layout.PlaneWidth(1), Is.EqualTo(3));
            Assert.That(layout.PlaneHeight(1), Is.EqualTo(2));
            Assert.That(layout.FrameSize, Is.EqualTo(15 + 6 + 6));
            Assert.That(layout.Offset(2), Is.EqualTo(21));
        });
    }

    [Test]
    public void High_bit_depth_planes_use_two_bytes_a_sample()
    {
        var layout = new FrameLayout(1920, 1080, PixelFormat.Yuv422p10);
        Assert.Multiple(() =>
        {
            Assert.That(layout.Stride(0), Is.EqualTo(3840));
            Assert.That(layout.Stride(1), Is.EqualTo(1920));
            Assert.That(layout.PlaneHeight(2), Is.EqualTo(1080));
        });
    }

    [Test]
    public void Every_format_round_trips_through_its_ffmpeg_name()
    {
        foreach (var format in PixelFormats.All)
        {
            Assert.That(PixelFormats.TryParseFfmpegName(format.FfmpegName(), out var parsed), Is.True);
            Assert.That(parsed, Is.EqualTo(format));
            Assert.That(PixelFormats.From(format.Chroma(), format.BitDepth()), Is.EqualTo(format));
        }
    }

    [Test]
    public void Zero_size_is_refused_with_the_values_named()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new FrameLayout(0, 10, PixelFormat.Yuv420p));
        Assert.That(ex!.Message, Does.Contain("width=0"));
    }
}
