using Aqs.Shared.Frames;
using Aqs.Shared.Media;

namespace Aqs.Shared.Tests.Media;

public class EncoderRoundTripTests
{
    /// <summary>Floor for luma PSNR at 1.5 Mbit/s on the smooth 320x240 pattern; every codec here lands well above it.</summary>
    private const double PsnrFloorDb = 32;

    private static IEnumerable<TestCaseData> Cases()
    {
        var combos = new (string Encoder, PixelFormat Format)[]
        {
            ("libx264", PixelFormat.Yuv420p), ("libx264", PixelFormat.Yuv420p10), ("libx264", PixelFormat.Yuv444p),
            ("libx265", PixelFormat.Yuv420p), ("libx265", PixelFormat.Yuv420p10), ("libx265", PixelFormat.Yuv420p12),
            ("libsvtav1", PixelFormat.Yuv420p), ("libsvtav1", PixelFormat.Yuv420p10),
            ("libaom-av1", PixelFormat.Yuv420p), ("libaom-av1", PixelFormat.Yuv420p10), ("libaom-av1", PixelFormat.Yuv420p12),
            ("h264_nvenc", PixelFormat.Yuv420p), ("hevc_nvenc", PixelFormat.Yuv420p), ("av1_nvenc", PixelFormat.Yuv420p),
        };
        foreach (var (encoder, format) in combos)
        {
            yield return new TestCaseData(encoder, format).SetName($"Round_trip_keeps_quality_{encoder}_{format.FfmpegName()}");
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Round_trip_keeps_quality(string encoderName, PixelFormat format)
    {
        var info = EncoderCatalog.Available().FirstOrDefault(e => e.Name == encoderName);
        if (info is null || !info.PixelFormats.Contains(format))
        {
            Assert.Ignore($"{encoderName} {format.FfmpegName()} not available on this machine");
        }
        var layout = new FrameLayout(320, 240, format);
        const int frames = 12;
        var pictures = Enumerable.Range(0, frames).Select(t => MediaTestData.Pattern(layout, t)).ToArray();
        using var encoder = VideoEncoder.Open(new EncoderSettings(encoderName, 320, 240, format, 30, 1, 1_500_000));
        using var decoder = VideoDecoder.Open(encoder.Codec);
        var psnrs = new List<double>();
        var packets = 0;
        void Pump()
        {
            while (encoder.TryReceive(out var packet))
            {
                packets++;
                Assert.That(decoder.Send(packet.Data, packet.Pts), Is.True, "decoder refused our own packet");
                while (decoder.TryReceive(out var frame))
                {
                    Assert.That(frame.View.Layout, Is.EqualTo(layout));
                    psnrs.Add(MediaTestData.LumaPsnr(layout, pictures[frame.Pts], frame.View));
                }
            }
        }
        for (var t = 0; t < frames; t++)
        {
            encoder.Send(PlanarFrame.FromPacked(layout, pictures[t]), t);
            Pump();
        }
        encoder.Flush();
        Pump();
        decoder.Drain();
        while (decoder.TryReceive(out var frame))
        {
            psnrs.Add(MediaTestData.LumaPsnr(layout, pictures[frame.Pts], frame.View));
        }
        Assert.Multiple(() =>
        {
            Assert.That(packets, Is.EqualTo(frames));
            Assert.That(psnrs, Has.Count.EqualTo(frames));
            Assert.That(psnrs.Min(), Is.GreaterThan(PsnrFloorDb), $"PSNRs: {string.Join(", ", psnrs.Select(p => p.ToString("F1")))}");
            Assert.That(decoder.DecodeErrors + decoder.CorruptPackets, Is.Zero);
        });
        TestContext.Out.WriteLine($"{encoderName} {format.FfmpegName()}: min PSNR {psnrs.Min():F1} dB, mean {psnrs.Average():F1} dB");
    }
}
