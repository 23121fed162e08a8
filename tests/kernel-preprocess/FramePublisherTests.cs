using Aqs.Kernel.Preprocess.Pacing;
using Aqs.Kernel.Preprocess.Sources;
using Aqs.Shared.Compression;
using Aqs.Shared.Rings;

namespace Aqs.Kernel.Preprocess.Tests;

public sealed class FramePublisherTests
{
    [Test]
    public void A_full_ref_ring_never_drops_a_source_frame_it_only_leaves_it_without_a_reference()
    {
        var session = $"fp{Environment.ProcessId}";
        using var source = new SyntheticSource(new SyntheticOptions { Width = 64, Height = 36 });
        var bytes = source.Layout.FrameSize;
        using var raw = FrameWriter.Create(session, "raw", new RingOptions(64, bytes));
        using var reference = FrameWriter.Create(session, "ref", new RingOptions(4, bytes));
        using var rawReader = FrameReader.Attach(session, "raw", ConsumerPolicy.Reliable, "encoder");
        using var refReader = FrameReader.Attach(session, "ref", ConsumerPolicy.Reliable, "display"); // never reads: a stuck display
        using var publisher = new FramePublisher(source, raw, reference, new FramePacer(PacingMode.Asap), RefCompression.None);
        try
        {
            var ids = new List<long>();
            for (var i = 0; i < 20; i++)
            {
                Assert.That(publisher.Step(), Is.True);
                Assert.That(rawReader.TryRead(TimeSpan.FromSeconds(1), out var slot), Is.EqualTo(ReadStatus.Frame));
                ids.Add(slot.Header.FrameId);
                Assert.That(slot.Header.CaptureTimeNs, Is.GreaterThan(0));
                rawReader.Release();
            }
            Assert.That(ids, Is.EqualTo(Enumerable.Range(0, 20).Select(i => (long)i)), "every frame reached the encoder");
            Assert.That(publisher.Dropped, Is.Zero);
            Assert.That(publisher.RefNotKept, Is.EqualTo(16), "four ref slots, then no reference for the rest");
        }
        finally
        {
            raw.Close();
            reference.Close();
        }
    }
}

/// <summary>Pacing through real rings when the source's clock jumps back and forward.</summary>
public sealed class FramePublisherClockJumpTests
{
    private const long Frame = 33_333_333;

    [Test]
    public void Timestamps_that_jump_back_and_forward_an_hour_are_published_in_order_without_waiting_for_the_jump()
    {
        var session = $"fj{Environment.ProcessId}";
        long[] pts = [0, Frame, 2 * Frame, -5_000_000_000, -5_000_000_000 + Frame, 3_600_000_000_000, 3_600_000_000_000 + Frame, 3 * Frame, 4 * Frame, 5 * Frame];
        using var source = new ScriptedTimestamps(new SyntheticSource(new SyntheticOptions { Width = 64, Height = 36 }), pts);
        var bytes = source.Layout.FrameSize;
        using var raw = FrameWriter.Create(session, "raw", new RingOptions(16, bytes));
        using var reference = FrameWriter.Create(session, "ref", new RingOptions(16, bytes));
        using var rawReader = FrameReader.Attach(session, "raw", ConsumerPolicy.Reliable, "encoder");
        using var publisher = new FramePublisher(source, raw, reference, new FramePacer(PacingMode.Realtime), RefCompression.None);
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var published = new List<long>();
            while (publisher.Step())
            {
                Assert.That(rawReader.TryRead(TimeSpan.FromSeconds(1), out var slot), Is.EqualTo(ReadStatus.Frame));
                published.Add(slot.Header.PtsNs);
                rawReader.Release();
            }
            clock.Stop();

            Assert.That(published, Has.Count.EqualTo(pts.Length));
            Assert.That(published, Is.Ordered.Ascending.And.Unique, "downstream sees time run forward");
            Assert.That(published.Zip(published.Skip(1), (a, b) => b - a), Is.All.LessThanOrEqualTo(TimestampContinuity.MaxGapNs));
            Assert.That(publisher.TimestampDiscontinuities, Is.EqualTo(3), "back 5 s, forward an hour, back from it");
            // Ten frames at 30 fps take 0.3 s paced; an unguarded pacer would have slept an hour at the jump.
            // 5 s is the bound, generous for a loaded 2-core machine.
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        }
        finally
        {
            raw.Close();
            reference.Close();
        }
    }

    /// <summary>A real source whose timestamps are replaced by a script.</summary>
    private sealed class ScriptedTimestamps(IFrameSource inner, long[] pts) : IFrameSource
    {
        private int _next;

        public Aqs.Shared.Frames.FrameLayout Layout => inner.Layout;
        public double Fps => inner.Fps;
        public Aqs.Shared.Frames.ColorDescription Color => inner.Color;

        public bool TryReadFrame(Span<byte> destination, out SourceFrameInfo info)
        {
            if (_next == pts.Length || !inner.TryReadFrame(destination, out info))
            {
                info = default;
                return false;
            }
            info = info with { PtsNs = pts[_next++] };
            return true;
        }

        public void Dispose() => inner.Dispose();
    }
}
