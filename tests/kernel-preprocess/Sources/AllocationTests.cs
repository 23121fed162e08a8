using Aqs.Kernel.Preprocess.Sources;
using Aqs.Shared.Frames;

namespace Aqs.Kernel.Preprocess.Tests.Sources;

/// <summary>Sources write into ring slots every frame: after construction they must not allocate.</summary>
public class AllocationTests
{
    private static long AllocatedOver1000Frames(IFrameSource source)
    {
        var buffer = new byte[source.Layout.FrameSize];
        // Warm up past every first-time path (the synthetic test's script events at 1, 2 and 3 s, its first scene
        // cuts): the first run of a path can allocate once (type loading, tiering), which is start-up, not per frame.
        for (var i = 0; i < 240; i++)
        {
            source.TryReadFrame(buffer, out _);
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        var frames = 0;
        for (var i = 0; i < 1000; i++)
        {
            if (source.TryReadFrame(buffer, out _))
            {
                frames++;
            }
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(frames, Is.EqualTo(1000));
        return allocated;
    }

    [Test]
    public void Synthetic_source_allocates_nothing_per_frame()
    {
        using var s = new SyntheticSource(new SyntheticOptions
        {
            Width = 64, Height = 48, BitDepth = 10, SceneCutEverySeconds = 0.5, Noise = 0.2,
            Script = SyntheticScript.Parse("0s:calm;1s:busy;2s:cut;3s:pan slow"),
        });
        Assert.That(AllocatedOver1000Frames(s), Is.LessThanOrEqualTo(1024));
    }

    [Test]
    public void Y4m_reader_and_loop_allocate_nothing_per_frame()
    {
        using var files = new TestFiles();
        var layout = new FrameLayout(64, 48, PixelFormat.Yuv420p10);
        var path = files.Write("a.y4m", TestFiles.Y4m("YUV4MPEG2 W64 H48 F25:1 C420p10", layout, 30, " Ip"));
        using var s = new LoopingSource(Y4mSource.Open(path), new SourceOptions(Loop: true));
        Assert.That(AllocatedOver1000Frames(s), Is.LessThanOrEqualTo(1024));
    }

    [Test]
    public void Raw_reader_allocates_nothing_per_frame()
    {
        using var files = new TestFiles();
        var layout = new FrameLayout(32, 32, PixelFormat.Yuv444p);
        var path = files.Write("a.yuv", Enumerable.Range(0, 10).SelectMany(i => TestFiles.Pattern(layout, i)).ToArray());
        using var s = new LoopingSource(RawYuvSource.Open(path, layout, new FrameRate(30, 1)), new SourceOptions(Loop: true));
        Assert.That(AllocatedOver1000Frames(s), Is.LessThanOrEqualTo(1024));
    }
}
