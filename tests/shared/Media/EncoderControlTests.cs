using Aqs.Shared.Cli;
using Aqs.Shared.Frames;
using Aqs.Shared.Media;

namespace Aqs.Shared.Tests.Media;

public class EncoderControlTests
{
    private static void RequireX264()
    {
        if (EncoderCatalog.Available().All(e => e.Name != "libx264"))
        {
            Assert.Ignore("libx264 not available on this machine");
        }
    }

    [Test]
    public void Forced_keyframe_is_a_keyframe_in_the_output()
    {
        RequireX264();
        var layout = new FrameLayout(320, 240, PixelFormat.Yuv420p);
        using var encoder = VideoEncoder.Open(new EncoderSettings("libx264", 320, 240, PixelFormat.Yuv420p, 30, 1, 1_000_000));
        using var decoder = VideoDecoder.Open(VideoCodec.H264);
        var keys = new List<long>();
        var decodedKeys = new List<long>();
        for (var t = 0; t < 20; t++)
        {
            if (t == 13)
            {
                encoder.ForceKeyframe();
            }
            encoder.Send(PlanarFrame.FromPacked(layout, MediaTestData.Pattern(layout, t)), t, forceKeyframe: t == 7);
            while (encoder.TryReceive(out var packet))
            {
                if (packet.IsKeyframe)
                {
                    keys.Add(packet.Pts);
                    Assert.That(packet.Stats.FrameType, Is.EqualTo(PictureType.I));
                }
                Assert.That(packet.Stats.Bytes, Is.EqualTo(packet.Data.Length));
                Assert.That(packet.Stats.Qp, Is.GreaterThan(0));
                decoder.Send(packet.Data, packet.Pts);
                while (decoder.TryReceive(out var frame))
                {
                    if (frame.IsKeyframe)
                    {
                        decodedKeys.Add(frame.Pts);
                    }
                }
            }
        }
        Assert.That(keys, Is.EqualTo(new long[] { 0, 7, 13 }).AsCollection);
        Assert.That(decodedKeys, Is.EqualTo(new long[] { 0, 7, 13 }).AsCollection, "the decoder sees them as keyframes (IDR) too");
    }

    [Test]
    public void Live_bitrate_change_from_8_to_2_Mbit_shows_within_one_second()
    {
        RequireX264();
        const int fps = 30;
        var layout = new FrameLayout(640, 360, PixelFormat.Yuv420p);
        // Noise makes x264 spend its whole budget at any rate, so the output rate is the rate control's doing.
        var pictures = Enumerable.Range(0, 8).Select(i => MediaTestData.Noise(layout, i)).ToArray();
        using var encoder = VideoEncoder.Open(new EncoderSettings("libx264", 640, 360, PixelFormat.Yuv420p, fps, 1, 8_000_000) { Preset = "ultrafast" });
        Assert.That(encoder.SupportsLiveBitrate, Is.True);
        var bytesPerFrame = new List<int>();
        for (var t = 0; t < 3 * fps; t++)
        {
            if (t == fps)
            {
                encoder.SetBitrate(2_000_000);
            }
            encoder.Send(PlanarFrame.FromPacked(layout, pictures[t % pictures.Length]), t);
            while (encoder.TryReceive(out var packet))
            {
                bytesPerFrame.Add(packet.Data.Length);
            }
        }
        double Rate(int from, int count) => bytesPerFrame.Skip(from).Take(count).Sum() * 8.0 * fps / count;
        var before = Rate(fps / 2, fps / 2);
        var after = Rate(2 * fps, fps); // the second that starts one second after the change
        TestContext.Out.WriteLine($"before {before / 1e6:F2} Mbit/s, from t+1s {after / 1e6:F2} Mbit/s");
        Assert.That(before, Is.EqualTo(8e6).Within(20).Percent);
        Assert.That(after, Is.EqualTo(2e6).Within(20).Percent);
    }

    [Test]
    public void Encoders_without_live_bitrate_say_so_and_refuse_the_change()
    {
        var info = EncoderCatalog.Available().FirstOrDefault(e => e.Name == "libx265");
        if (info is null)
        {
            Assert.Ignore("libx265 not available on this machine");
        }
        using var encoder = VideoEncoder.Open(new EncoderSettings("libx265", 64, 64, PixelFormat.Yuv420p, 30, 1, 500_000));
        Assert.That(encoder.SupportsLiveBitrate, Is.False);
        Assert.Throws<NotSupportedException>(() => encoder.SetBitrate(250_000));
    }

    [Test]
    public void Unknown_codec_name_gives_one_line_listing_the_available_ones()
    {
        var e = Assert.Throws<UserFacingException>(() => VideoEncoder.Open(new EncoderSettings("libx999", 320, 240, PixelFormat.Yuv420p, 30, 1, 1_000_000)))!;
        Assert.That(e.Message, Does.Contain("libx999").And.Contain("auto").And.Not.Contain("\n"));
        Assert.That(e.Message, Does.Contain(EncoderCatalog.Available()[0].Name));
    }

    [Test]
    public void Unsupported_pixel_format_gives_one_line_listing_what_the_encoder_takes()
    {
        if (EncoderCatalog.Available().All(e => e.Name != "libsvtav1"))
        {
            Assert.Ignore("libsvtav1 not available on this machine");
        }
        var e = Assert.Throws<UserFacingException>(() => VideoEncoder.Open(new EncoderSettings("libsvtav1", 320, 240, PixelFormat.Yuv444p, 30, 1, 1_000_000)))!;
        Assert.That(e.Message, Does.Contain("yuv444p").And.Contain("yuv420p10le").And.Not.Contain("\n"));
    }

    [Test]
    public void Auto_picks_an_available_encoder_for_the_format()
    {
        if (EncoderCatalog.Available().Count == 0)
        {
            Assert.Ignore("no encoders on this machine");
        }
        using var encoder = VideoEncoder.Open(new EncoderSettings("auto", 64, 64, PixelFormat.Yuv420p, 30, 1, 500_000));
        Assert.That(EncoderCatalog.Available().Select(e => e.Name), Does.Contain(encoder.EncoderName));
    }

    [Test]
    public void Catalog_describes_every_known_encoder_once()
    {
        var text = EncoderCatalog.Describe();
        TestContext.Out.WriteLine(text);
        foreach (var name in new[] { "libx264", "libx265", "libsvtav1", "libaom-av1", "h264_nvenc", "hevc_qsv", "h264_vaapi", "h264_amf" })
        {
            Assert.That(text, Does.Contain(name));
        }
    }
}
