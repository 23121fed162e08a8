using Aqs.Kernel.Preprocess.Pacing;
using Aqs.Kernel.Preprocess.Sources;
using Aqs.Shared.Compression;
using Aqs.Shared.Rings;

namespace Aqs.Kernel.Preprocess.Tests.Memory;

/// <summary>Seed 6: after start-up Kernel B's publish loop allocates no managed memory per frame.</summary>
public class PublishLoopAllocationTests
{
    [TestCase(RefCompression.None)]
    [TestCase(RefCompression.Lz4)]
    [TestCase(RefCompression.Zstd)]
    public void Publish_loop_allocates_nothing_over_1000_frames(RefCompression codec)
    {
        var session = $"al{Environment.ProcessId}{(int)codec}";
        using var source = new SyntheticSource(new SyntheticOptions { Width = 64, Height = 48, BitDepth = 10, SceneCutEverySeconds = 0.5, Noise = 0.2 });
        var bytes = source.Layout.FrameSize;
        using var raw = FrameWriter.Create(session, "raw", new RingOptions(8, bytes));
        using var reference = FrameWriter.Create(session, "ref", new RingOptions(64, bytes));
        using var publisher = new FramePublisher(source, raw, reference, new FramePacer(PacingMode.Asap), codec);
        try
        {
            for (var i = 0; i < 120; i++)
            {
                Assert.That(publisher.Step(), Is.True); // warm up: tiering, first scene, codec contexts
            }
            var before = GC.GetAllocatedBytesForCurrentThread();
            var ok = true;
            for (var i = 0; i < 1000; i++)
            {
                ok &= publisher.Step();
            }
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.That(ok, Is.True);
            Assert.That(publisher.Published, Is.EqualTo(1120), "no consumer attached: nothing gates, every frame is published");
            Assert.That(allocated, Is.LessThanOrEqualTo(1024), $"{allocated} bytes allocated over 1000 frames");
        }
        finally
        {
            raw.Close();
            reference.Close();
        }
    }
}
