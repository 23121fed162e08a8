using Aqs.Shared.Frames;
using Aqs.Shared.Media;

namespace Aqs.Shared.Tests.Media;

public class VideoScalerTests
{
    [Test]
    public void Bit_depth_round_trip_8_to_10_to_8_is_lossless()
    {
        var l8 = new FrameLayout(320, 240, PixelFormat.Yuv420p);
        var l10 = new FrameLayout(320, 240, PixelFormat.Yuv420p10);
        var source = MediaTestData.Pattern(l8, 3);
        var wide = new byte[l10.FrameSize];
        var back = new byte[l8.FrameSize];
        using (var up = new VideoScaler(l8, l10))
        {
            up.Scale(PlanarFrame.FromPacked(l8, source), wide);
        }
        using (var down = new VideoScaler(l10, l8))
        {
            down.Scale(PlanarFrame.FromPacked(l10, wide), back);
        }
        Assert.That(MediaTestData.LumaPsnr(l8, source, PlanarFrame.FromPacked(l8, back)), Is.GreaterThan(50));
        var sample = BitConverter.ToUInt16(wide, (100 * 320 + 100) * 2);
        Assert.That(Math.Abs(sample - source[100 * 320 + 100] * 4), Is.LessThanOrEqualTo(4), "10-bit sample is the 8-bit one shifted by 2");
    }

    [TestCase(PixelFormat.Yuv420p, PixelFormat.Yuv444p, 2.0)]
    [TestCase(PixelFormat.Yuv444p12, PixelFormat.Yuv422p, 0.5)]
    [TestCase(PixelFormat.Yuv422p10, PixelFormat.Yuv420p, 4.0)]
    public void Scaling_changes_size_and_format_and_keeps_the_picture(PixelFormat from, PixelFormat to, double factor)
    {
        var src = new FrameLayout(160, 120, from);
        var dst = new FrameLayout((int)(160 * factor), (int)(120 * factor), to);
        var output = new byte[dst.FrameSize];
        using var scaler = new VideoScaler(src, dst, ScaleQuality.Bicubic);
        scaler.Scale(PlanarFrame.FromPacked(src, MediaTestData.Pattern(src, 0)), output);
        // Compare with the pattern drawn directly at the target size (it is defined in target pixels for the box only
        // at factor 1, so check a smooth region: mean luma must match within 2 %).
        var expected = MediaTestData.Pattern(src, 0);
        var max = (1 << dst.Format.BitDepth()) - 1.0;
        var maxSrc = (1 << src.Format.BitDepth()) - 1.0;
        Assert.That(MeanLuma(dst, output) / max, Is.EqualTo(MeanLuma(src, expected) / maxSrc).Within(0.02));
    }

    private static double MeanLuma(FrameLayout layout, byte[] buffer)
    {
        var frame = PlanarFrame.FromPacked(layout, buffer);
        double sum = 0;
        for (var y = 0; y < layout.Height; y++)
        {
            var row = frame.Row(0, y);
            for (var x = 0; x < layout.Width; x++)
            {
                sum += layout.Format.BytesPerSample() == 1 ? row[x] : BitConverter.ToUInt16(row[(2 * x)..]);
            }
        }
        return sum / (layout.Width * layout.Height);
    }

    [Test]
    public void Scale_refuses_a_frame_of_another_layout()
    {
        var l = new FrameLayout(64, 64, PixelFormat.Yuv420p);
        using var scaler = new VideoScaler(l, l);
        var other = new FrameLayout(32, 32, PixelFormat.Yuv420p);
        var buffer = new byte[l.FrameSize];
        Assert.Throws<ArgumentException>(() => scaler.Scale(PlanarFrame.FromPacked(other, new byte[other.FrameSize]), buffer));
    }

    [TestCase(true, false, 0, 255, 16, 235)]
    [TestCase(false, true, 16, 235, 0, 255)]
    public void Range_conversion_maps_black_and_white_between_full_and_limited(bool fromFull, bool toFull, int black, int white, int blackOut, int whiteOut)
    {
        var layout = new FrameLayout(64, 32, PixelFormat.Yuv420p);
        var frame = new byte[layout.FrameSize];
        frame.AsSpan(layout.Offset(1)).Fill(128);
        frame.AsSpan(0, 64 * 16).Fill((byte)black);
        frame.AsSpan(64 * 16, 64 * 16).Fill((byte)white);
        var output = new byte[layout.FrameSize];
        using var scaler = new VideoScaler(layout, layout, ScaleQuality.Point, fromFull, toFull);
        scaler.Scale(PlanarFrame.FromPacked(layout, frame), output);
        Assert.Multiple(() =>
        {
            Assert.That((int)output[5 * 64 + 10], Is.EqualTo(blackOut).Within(1), "black");
            Assert.That((int)output[25 * 64 + 10], Is.EqualTo(whiteOut).Within(1), "white");
            Assert.That((int)output[layout.Offset(1) + 10], Is.EqualTo(128).Within(1), "neutral chroma stays neutral");
        });
    }
}
