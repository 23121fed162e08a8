using Aqs.Shared.Frames;
using Aqs.Shared.Media;
using Aqs.Shared.Rings;
using Aqs.Shared.Tests.Media;

namespace Aqs.Kernel.Display.Tests.Infrastructure;

/// <summary>One encoded frame as an rx slot would carry it, with the source frame it came from.</summary>
public sealed record EncodedFrame(long FrameId, byte[] Data, FrameLayout Layout, bool Keyframe, bool RungSwitch, byte[] Source, FrameLayout SourceLayout)
{
    public SlotHeader Header(long captureNs = 0)
    {
        var h = default(SlotHeader);
        h.FrameId = FrameId;
        h.Codec = VideoCodec.H264;
        h.PayloadLength = Data.Length;
        h.SetLayout(Layout);
        h.CaptureTimeNs = captureNs;
        h.DurationNs = 16_666_667;
        h.Flags = (Keyframe ? SlotFlags.Keyframe : SlotFlags.None) | (RungSwitch ? SlotFlags.RungSwitch : SlotFlags.None);
        return h;
    }
}

/// <summary>
/// A real libx264 stream that changes rung as the AQS engine does: a fresh encoder per rung, its first frame a
/// keyframe flagged as a rung switch. Each source frame is a moving pattern at the source size, scaled to the rung.
/// </summary>
public static class EncodedStream
{
    public static void RequireX264()
    {
        if (EncoderCatalog.Available().All(e => e.Name != "libx264"))
        {
            Assert.Ignore("libx264 not available on this machine");
        }
    }

    public static List<EncodedFrame> Encode(FrameLayout source, params (FrameLayout Rung, int Frames)[] rungs)
    {
        var frames = new List<EncodedFrame>();
        var id = 0;
        foreach (var (rung, count) in rungs)
        {
            using var encoder = VideoEncoder.Open(new EncoderSettings("libx264", rung.Width, rung.Height, rung.Format, 60, 1, 2_000_000) { Preset = "ultrafast" });
            using var scaler = rung == source ? null : new VideoScaler(source, rung, ScaleQuality.Bicubic);
            var scaled = new byte[rung.FrameSize];
            var first = true;
            for (var i = 0; i < count; i++, id++)
            {
                var src = MediaTestData.Pattern(source, id);
                var input = src;
                if (scaler is not null)
                {
                    scaler.Scale(PlanarFrame.FromPacked(source, src), scaled);
                    input = scaled;
                }
                encoder.Send(PlanarFrame.FromPacked(rung, input), id, forceKeyframe: first);
                while (encoder.TryReceive(out var packet))
                {
                    frames.Add(new EncodedFrame(packet.Pts, packet.Data.ToArray(), rung, packet.IsKeyframe, first, MediaTestData.Pattern(source, (int)packet.Pts), source));
                    first = false;
                }
            }
            encoder.Flush();
            while (encoder.TryReceive(out var packet))
            {
                frames.Add(new EncodedFrame(packet.Pts, packet.Data.ToArray(), rung, packet.IsKeyframe, first, MediaTestData.Pattern(source, (int)packet.Pts), source));
                first = false;
            }
        }
        return frames;
    }
}
