using Aqs.Shared.Frames;
using Aqs.Shared.Media;

namespace Aqs.Shared.Tests.Media;

/// <summary>
/// Standard receivers join and follow rung switches only if every keyframe carries the codec's parameter sets in
/// band: our low-latency settings without global headers must give them (H.264: SPS 7, PPS 8; HEVC: VPS 32, SPS 33, PPS 34).
/// </summary>
public class ParameterSetTests
{
    [TestCase("libx264", new[] { 7, 8 })]
    [TestCase("libx265", new[] { 32, 33, 34 })]
    public void Every_keyframe_carries_its_parameter_sets_in_band(string encoderName, int[] wanted)
    {
        if (EncoderCatalog.Available().All(e => e.Name != encoderName))
        {
            Assert.Ignore($"{encoderName} not available on this machine");
        }
        var layout = new FrameLayout(320, 240, PixelFormat.Yuv420p);
        using var encoder = VideoEncoder.Open(new EncoderSettings(encoderName, 320, 240, PixelFormat.Yuv420p, 30, 1, 500_000) { KeyframeInterval = 10 });
        var keyframes = new List<int[]>();
        var others = new List<int[]>();
        for (var t = 0; t < 30; t++)
        {
            // Forced keyframes too: the AQS engine asks for one at each rung switch and on a receiver's request.
            encoder.Send(PlanarFrame.FromPacked(layout, MediaTestData.Pattern(layout, t)), t, forceKeyframe: t == 15);
            while (encoder.TryReceive(out var packet))
            {
                (packet.IsKeyframe ? keyframes : others).Add(NalTypes(packet.Data, hevc: encoderName == "libx265"));
            }
        }
        Assert.Multiple(() =>
        {
            Assert.That(keyframes, Has.Count.GreaterThanOrEqualTo(4), "periodic and forced keyframes");
            Assert.That(keyframes, Has.All.Matches<int[]>(types => wanted.All(types.Contains)), "parameter sets in every keyframe");
            Assert.That(others, Has.None.Matches<int[]>(types => types.Contains(wanted[0])), "not in the frames between");
        });
    }

    /// <summary>The NAL unit types of an Annex B access unit (start codes 00 00 01 / 00 00 00 01).</summary>
    private static int[] NalTypes(ReadOnlySpan<byte> data, bool hevc)
    {
        var types = new List<int>();
        for (var i = 0; i + 3 < data.Length; i++)
        {
            if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1)
            {
                var header = data[i + 3];
                types.Add(hevc ? (header >> 1) & 0x3f : header & 0x1f);
                i += 3;
            }
        }
        return [.. types];
    }
}
