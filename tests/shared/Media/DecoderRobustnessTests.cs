using Aqs.Shared.Frames;
using Aqs.Shared.Media;

namespace Aqs.Shared.Tests.Media;

public class DecoderRobustnessTests
{
    /// <summary>Encodes 40 frames of the pattern with a keyframe every 10; returns the packets.</summary>
    private static List<byte[]> Stream(string encoderName, FrameLayout layout)
    {
        using var encoder = VideoEncoder.Open(new EncoderSettings(encoderName, layout.Width, layout.Height, layout.Format, 30, 1, 1_000_000) { KeyframeInterval = 10 });
        var packets = new List<byte[]>();
        for (var t = 0; t < 40; t++)
        {
            encoder.Send(PlanarFrame.FromPacked(layout, MediaTestData.Pattern(layout, t)), t, forceKeyframe: t % 10 == 0);
            while (encoder.TryReceive(out var packet))
            {
                packets.Add(packet.Data.ToArray());
            }
        }
        return packets;
    }

    [TestCase("libx264", VideoCodec.H264)]
    [TestCase("libx265", VideoCodec.Hevc)]
    [TestCase("libaom-av1", VideoCodec.Av1)]
    public void Damaged_packets_are_counted_and_decoding_recovers_at_the_next_keyframe(string encoderName, VideoCodec codec)
    {
        if (EncoderCatalog.Available().All(e => e.Name != encoderName))
        {
            Assert.Ignore($"{encoderName} not available on this machine");
        }
        var layout = new FrameLayout(320, 240, PixelFormat.Yuv420p);
        var packets = Stream(encoderName, layout);
        Assert.That(packets, Has.Count.EqualTo(40));
        var random = new Random(5);
        using var decoder = VideoDecoder.Open(codec);
        var psnrByPts = new Dictionary<long, double>();
        for (var i = 0; i < packets.Count; i++)
        {
            var data = packets[i];
            if (i is 12 or 13)
            {
                data = data[..(data.Length / 3)]; // truncated
            }
            else if (i is >= 14 and <= 16)
            {
                data = (byte[])data.Clone();
                for (var k = 0; k < 40; k++)
                {
                    data[random.Next(data.Length)] ^= (byte)(1 << random.Next(8)); // bit flips
                }
            }
            else if (i == 17)
            {
                data = [0xff, 0x13, 0x00, 0x42, 0x99]; // garbage
            }
            decoder.Send(data, i);
            while (decoder.TryReceive(out var frame))
            {
                psnrByPts[frame.Pts] = MediaTestData.LumaPsnr(layout, MediaTestData.Pattern(layout, (int)frame.Pts), frame.View);
            }
        }
        decoder.Drain();
        while (decoder.TryReceive(out var frame))
        {
            psnrByPts[frame.Pts] = MediaTestData.LumaPsnr(layout, MediaTestData.Pattern(layout, (int)frame.Pts), frame.View);
        }
        TestContext.Out.WriteLine($"{encoderName}: corrupt packets {decoder.CorruptPackets}, decode errors {decoder.DecodeErrors}, frames {decoder.FramesDecoded}");
        Assert.Multiple(() =>
        {
            Assert.That(decoder.CorruptPackets + decoder.DecodeErrors, Is.GreaterThan(0), "damage must be counted");
            for (long pts = 20; pts < 40; pts++)
            {
                Assert.That(psnrByPts.ContainsKey(pts), Is.True, $"frame {pts} after the keyframe at 20 must decode");
                if (psnrByPts.TryGetValue(pts, out var psnr))
                {
                    Assert.That(psnr, Is.GreaterThan(32), $"frame {pts} must be clean again");
                }
            }
        });
    }
}
