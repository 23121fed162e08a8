using Aqs.Shared.Frames;
using Aqs.Shared.Media;

namespace Aqs.Shared.Tests.Media;

public class EncoderColorTests
{
    [TestCase("libx264")]
    [TestCase("libx265")]
    public void Colour_description_reaches_the_bitstream(string encoderName)
    {
        if (EncoderCatalog.Available().All(e => e.Name != encoderName))
        {
            Assert.Ignore($"{encoderName} not available on this machine");
        }
        var layout = new FrameLayout(128, 96, PixelFormat.Yuv420p);
        var path = MediaTestData.TempPath($"colour-{encoderName}.h26x");
        // Full range, BT.709 primaries, BT.709 transfer, BT.709 matrix (AVCOL_* values).
        var color = new ColorDescription(Range: 2, Primaries: 1, Transfer: 1, Matrix: 1);
        using (var encoder = VideoEncoder.Open(new EncoderSettings(encoderName, 128, 96, PixelFormat.Yuv420p, 30, 1, 300_000) { Color = color }))
        using (var writer = MediaFileWriter.Create(path + (encoderName == "libx264" ? ".h264" : ".hevc"), encoder.Codec, 128, 96, 30, 1))
        {
            for (var t = 0; t < 3; t++)
            {
                encoder.Send(PlanarFrame.FromPacked(layout, MediaTestData.Pattern(layout, t)), t);
                while (encoder.TryReceive(out var packet))
                {
                    writer.Write(packet);
                }
            }
            encoder.Flush();
            while (encoder.TryReceive(out var packet))
            {
                writer.Write(packet);
            }
        }
        var probe = MediaTestData.Run("ffprobe", "-v", "error", "-select_streams", "v:0",
            "-show_entries", "stream=color_range,color_space,color_transfer,color_primaries", "-of", "default=noprint_wrappers=1",
            path + (encoderName == "libx264" ? ".h264" : ".hevc"));

        var decodedColor = DecodeFirstFrameColor(path + (encoderName == "libx264" ? ".h264" : ".hevc"), encoderName == "libx264" ? VideoCodec.H264 : VideoCodec.Hevc);
        Assert.Multiple(() =>
        {
            Assert.That(decodedColor, Is.EqualTo(color), "our decoder reads back what our encoder wrote");
            Assert.That(probe, Does.Contain("color_range=pc"));
            Assert.That(probe, Does.Contain("color_space=bt709"));
            Assert.That(probe, Does.Contain("color_transfer=bt709"));
            Assert.That(probe, Does.Contain("color_primaries=bt709"));
        });
    }

    private static IEnumerable<TestCaseData> Profiles()
    {
        foreach (var encoder in new[] { "libx264", "libx265", "libsvtav1", "libaom-av1" })
        {
            foreach (var format in PixelFormats.All.Where(f => f != PixelFormat.Gray8))
            {
                yield return new TestCaseData(encoder, format).SetName($"Colour_description_survives_{encoder}_{format.FfmpegName()}");
            }
        }
    }

    /// <summary>
    /// What a source declares comes back out of our decoder (Kernel D's), for every pixel format each encoder takes:
    /// a Y4M-style "limited range, nothing else known", full-range BT.709, and limited-range BT.2020 with PQ.
    /// </summary>
    [TestCaseSource(nameof(Profiles))]
    public void Colour_description_survives(string encoderName, PixelFormat format)
    {
        var info = EncoderCatalog.Available().FirstOrDefault(e => e.Name == encoderName);
        if (info is null || !info.PixelFormats.Contains(format))
        {
            Assert.Ignore($"{encoderName} does not take {format.FfmpegName()} on this machine");
        }
        ColorDescription[] declared =
        [
            ColorDescription.Unknown.WithRange(ColorDescription.RangeLimited),
            new(ColorDescription.RangeFull, ColorDescription.Bt709, ColorDescription.Bt709, ColorDescription.Bt709),
            new(ColorDescription.RangeLimited, Primaries: 9, Transfer: 16, Matrix: 9),
        ];
        // 64x64: SVT-AV1 refuses anything smaller.
        var layout = new FrameLayout(64, 64, format);
        Assert.Multiple(() =>
        {
            foreach (var color in declared)
            {
                Assert.That(RoundTripColor(encoderName, layout, color), Is.EqualTo(color), $"declared {color}");
            }
        });
    }

    private static ColorDescription RoundTripColor(string encoderName, FrameLayout layout, ColorDescription color)
    {
        using var encoder = VideoEncoder.Open(new EncoderSettings(encoderName, layout.Width, layout.Height, layout.Format, 30, 1, 200_000) { Color = color });
        using var decoder = VideoDecoder.Open(encoder.Codec);
        encoder.Send(PlanarFrame.FromPacked(layout, MediaTestData.Pattern(layout, 0)), 0);
        encoder.Flush();
        while (encoder.TryReceive(out var packet))
        {
            Assert.That(decoder.Send(packet.Data, packet.Pts), Is.True, "decoder refused our own packet");
        }
        decoder.Drain();
        Assert.That(decoder.TryReceive(out var frame), Is.True, "no frame decoded");
        return frame.Color;
    }

    private static ColorDescription DecodeFirstFrameColor(string path, VideoCodec codec)
    {
        using var reader = MediaFileReader.Open(path);
        Assert.That(reader.Codec, Is.EqualTo(codec));
        Assert.That(reader.TryReadFrame(out var frame), Is.True);
        return frame.Color;
    }
}
