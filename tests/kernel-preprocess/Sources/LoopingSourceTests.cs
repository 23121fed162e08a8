using Aqs.Kernel.Preprocess.Sources;
using Aqs.Shared.Frames;

namespace Aqs.Kernel.Preprocess.Tests.Sources;

public class LoopingSourceTests
{
    private TestFiles _files = null!;
    private readonly FrameLayout _layout = new(16, 16, PixelFormat.Yuv420p);

    [SetUp]
    public void SetUp() => _files = new TestFiles();

    [TearDown]
    public void TearDown() => _files.Dispose();

    private string Y4m(int frames, int trim = 0) =>
        _files.Write("l.y4m", TestFiles.Y4m("YUV4MPEG2 W16 H16 F25:1 C420jpeg", _layout, frames)[..^trim]);

    private static (List<int> Patterns, List<SourceFrameInfo> Infos) Drain(IFrameSource s, FrameLayout layout, int max = 100)
    {
        var patterns = new List<int>();
        var infos = new List<SourceFrameInfo>();
        var buffer = new byte[layout.FrameSize];
        while (patterns.Count < max && s.TryReadFrame(buffer, out var info))
        {
            patterns.Add(Enumerable.Range(0, 8).First(i => buffer.AsSpan().SequenceEqual(TestFiles.Pattern(layout, i))));
            infos.Add(info);
        }
        return (patterns, infos);
    }

    [Test]
    public void Loop_with_start_and_limit_plays_the_segment_over_and_over_with_rising_timestamps()
    {
        using var s = new LoopingSource(Y4mSource.Open(Y4m(4)), new SourceOptions(Loop: true, StartFrame: 1, FrameLimit: 7));
        var (patterns, infos) = Drain(s, _layout);
        Assert.That(patterns, Is.EqualTo(new[] { 1, 2, 3, 1, 2, 3, 1 }));
        Assert.That(infos.Select(i => i.FrameIndex), Is.EqualTo(Enumerable.Range(0, 7).Select(i => (long)i)));
        Assert.That(infos.Select(i => i.PtsNs), Is.EqualTo(Enumerable.Range(0, 7).Select(i => i * 40_000_000L)));
        Assert.That(infos.Select(i => i.SceneCut), Is.EqualTo(new[] { false, false, false, true, false, false, true }));
        Assert.That(s.Restarts, Is.EqualTo(2));
    }

    [Test]
    public void Without_loop_start_and_limit_cut_the_input()
    {
        using var s = new LoopingSource(Y4mSource.Open(Y4m(5)), new SourceOptions(StartFrame: 2, FrameLimit: 2));
        Assert.That(Drain(s, _layout).Patterns, Is.EqualTo(new[] { 2, 3 }));
    }

    [Test]
    public void Loop_skips_and_counts_a_broken_tail_instead_of_failing()
    {
        using var s = new LoopingSource(Y4mSource.Open(Y4m(3, trim: 50)), new SourceOptions(Loop: true, FrameLimit: 6));
        var (patterns, _) = Drain(s, _layout);
        Assert.That(patterns, Is.EqualTo(new[] { 0, 1, 0, 1, 0, 1 }));
        Assert.That(s.SkippedErrors, Is.EqualTo(2));
        Assert.That(s.LastSkippedError, Does.Contain("frame 2").And.Contain("truncated"));
    }

    [Test]
    public void Without_loop_a_broken_tail_still_fails_after_the_good_frames()
    {
        using var s = new LoopingSource(Y4mSource.Open(Y4m(3, trim: 50)), new SourceOptions(FrameLimit: 10));
        var buffer = new byte[_layout.FrameSize];
        Assert.That(s.TryReadFrame(buffer, out _) && s.TryReadFrame(buffer, out _), Is.True);
        Assert.Throws<SourceException>(() => s.TryReadFrame(buffer, out _));
    }

    [Test]
    public void Loop_over_an_input_broken_at_its_first_frame_fails_instead_of_spinning()
    {
        using var s = new LoopingSource(Y4mSource.Open(Y4m(1, trim: 50)), new SourceOptions(Loop: true));
        Assert.Throws<SourceException>(() => s.TryReadFrame(new byte[_layout.FrameSize], out _));
    }

    [Test]
    public void Start_frame_past_the_end_fails_in_one_line()
    {
        using var s = new LoopingSource(Y4mSource.Open(Y4m(2)), new SourceOptions(StartFrame: 5));
        Assert.That(Assert.Throws<SourceException>(() => s.TryReadFrame(new byte[_layout.FrameSize], out _))!.Message, Does.Contain("past the end"));
    }

    [Test]
    public void Loop_over_an_empty_input_ends()
    {
        var path = _files.Write("e.y4m", System.Text.Encoding.ASCII.GetBytes("YUV4MPEG2 W16 H16 F25:1\n"));
        using var s = new LoopingSource(Y4mSource.Open(path), new SourceOptions(Loop: true));
        Assert.That(s.TryReadFrame(new byte[_layout.FrameSize], out _), Is.False);
    }
}
