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
