using Aqs.Kernel.Display.Decoding;
using Aqs.Kernel.Display.Tests.Infrastructure;
using Aqs.Shared.Frames;

namespace Aqs.Kernel.Display.Tests.Decoding;

public sealed class H264ContinuityTests
{
    private static readonly FrameLayout Layout = new(160, 90, PixelFormat.Yuv420p);

    [Test]
    public void An_unbroken_stream_has_no_gap()
    {
        EncodedStream.RequireX264();
        var continuity = new H264Continuity();
        foreach (var frame in EncodedStream.Encode(Layout, (Layout, 300))) // frame_num wraps (MaxFrameNum is 16..)
        {
            Assert.That(continuity.Accept(frame.Data), Is.True, $"frame {frame.FrameId}");
        }
        Assert.That(continuity.Gaps, Is.Zero);
    }

    [TestCase(1)]
    [TestCase(7)]
    [TestCase(15)] // one less than the smallest MaxFrameNum: lands on the previous frame_num, still a gap
    public void A_missing_frame_is_seen_at_the_next_one(int missing)
    {
        EncodedStream.RequireX264();
        var continuity = new H264Continuity();
        var results = EncodedStream.Encode(Layout, (Layout, 60), (new FrameLayout(96, 54, PixelFormat.Yuv420p10), 10))
            .Where(f => f.FrameId < 20 || f.FrameId >= 20 + missing)
            .Select(f => (f.FrameId, Intact: continuity.Accept(f.Data)))
            .ToList();
        Assert.That(results.Where(r => !r.Intact).Select(r => r.FrameId), Is.EqualTo(new long[] { 20 + missing }));
    }
}
