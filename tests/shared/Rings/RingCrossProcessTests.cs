using System.Diagnostics;
using Aqs.Shared.Interop;
using Aqs.Shared.Rings;
using Aqs.Shared.Tests.Rings.Infrastructure;
using Aqs.TestPeers.Rings;

namespace Aqs.Shared.Tests.Rings;

/// <summary>
/// The ring between real processes (tests/peers ring-produce / ring-consume): ordering, tearing,
/// and what each side sees when the other is killed with SIGKILL.
/// </summary>
[NonParallelizable]
public class RingCrossProcessTests : RingTestBase
{
    private static readonly TimeSpan PeerTimeout = TimeSpan.FromSeconds(60);

    [Test]
    public void Reliable_consumer_gets_100k_frames_of_varying_size_from_another_process_without_loss_or_reordering()
    {
        const int frames = 100_000;
        var producer = StartPeer("ring-produce", $"session={Session}", "ring=raw", $"count={frames}", "min=1", "max=65536", "slots=16", "capacity=65536");
        using var reader = FrameReader.Attach(Session, "raw", ConsumerPolicy.Reliable, "check", TimeSpan.FromSeconds(30));
        var (next, bad) = ReadReliably(reader, 1, 65536);
        Assert.That(producer.WaitForExit(PeerTimeout), Is.EqualTo(0), producer.Output);
        Assert.That(bad, Is.Zero);
        Assert.That(next, Is.EqualTo(frames));
        Assert.That(reader.Skipped, Is.Zero);
    }

    [Test]
    public void Latest_consumer_skips_frames_but_never_accepts_a_torn_one()
    {
        // Two big slots and a producer that never waits: the reader is lapped often.
        var producer = StartPeer("ring-produce", $"session={Session}", "ring=raw", "count=4000", "min=262144", "max=262144", "slots=2", "capacity=262144");
        using var reader = FrameReader.Attach(Session, "raw", ConsumerPolicy.Latest, "display", TimeSpan.FromSeconds(30));
        long intact = 0, torn = 0, bad = 0, last = -1, backwards = 0;
        while (reader.TryRead(TimeSpan.FromSeconds(30), out var slot) == ReadStatus.Frame)
        {
            var seq = slot.Sequence;
            var ok = FramePattern.Check(slot.Payload, seq) && slot.Header.FrameId == seq;
            if (seq <= last)
            {
                backwards++;
            }
            last = seq;
            if (!reader.Release())
            {
                torn++;      // overwritten while we read it: discarded, as a caller must
            }
            else if (ok)
            {
                intact++;
            }
            else
            {
                bad++;       // Release said intact but the bytes were not frame seq's: a torn frame got through
            }
        }
        Assert.That(producer.WaitForExit(PeerTimeout), Is.EqualTo(0), producer.Output);
        TestContext.Out.WriteLine($"intact={intact} torn-detected={torn} skipped={reader.Skipped}");
        Assert.That(bad, Is.Zero);
        Assert.That(backwards, Is.Zero);
        Assert.That(intact, Is.GreaterThan(0));
        Assert.That(intact + torn + reader.Skipped, Is.EqualTo(4000));
    }

    [Test]
    public void Producer_killed_and_restarted_resumes_the_sequence_so_a_reliable_consumer_sees_no_gap_or_duplicate()
    {
        const int frames = 20_000;
        string[] args = [$"session={Session}", "ring=raw", $"count={frames}", "min=1", "max=16384", "slots=8", "capacity=16384", "stale-ms=2000"];
        var first = StartPeer("ring-produce", args);
        using var reader = FrameReader.Attach(Session, "raw", ConsumerPolicy.Reliable, "check", TimeSpan.FromSeconds(30));
        var (next, bad) = ReadReliably(reader, 1, 16384, stopAt: 3000);
        first.Kill();
        Assert.That(reader.ProducerAlive, Is.False);

        // Read on at once: a consumer that stops calling TryRead for longer than StaleAfter while
        // the ring is full is (rightly) detached by the new producer.
        var second = StartPeer("ring-produce", args);
        var (end, bad2) = ReadReliably(reader, 1, 16384, expectedFirst: next);
        Assert.That(second.WaitForExit(PeerTimeout), Is.EqualTo(0), second.Output);
        var resumedFrom = long.Parse(second.WaitForLine("producing from=", PeerTimeout)["producing from=".Length..]);
        Assert.That(resumedFrom, Is.GreaterThanOrEqualTo(3000));
        Assert.That(bad + bad2, Is.Zero);
        Assert.That(end, Is.EqualTo(frames));
        Assert.That(reader.Skipped, Is.Zero);
    }

    [Test]
    public void Reliable_consumer_killed_does_not_block_the_producer_beyond_stale_after()
    {
        using var writer = FrameWriter.Create(Session, "raw", Small(slots: 4, staleMs: 300));
        var consumer = StartPeer("ring-consume", $"session={Session}", "ring=raw", "name=enc", "stall-after=1");
        consumer.WaitForLine("attached", PeerTimeout);
        Publish(writer, 1);
        consumer.WaitForLine("stalled", PeerTimeout);
        Publish(writer, 3); // ring full now: the stalled consumer released only frame 0
        consumer.Kill();

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 8; i++)
        {
            Assert.That(writer.TryClaim(64, TimeSpan.FromSeconds(10), out var slot), Is.True);
            writer.Publish(ref slot);
        }
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(3)), "a dead consumer must be detached, not waited for");
    }

    [Test]
    public void Stopped_consumer_is_detached_once_its_heartbeat_is_older_than_stale_after()
    {
        using var writer = FrameWriter.Create(Session, "raw", Small(slots: 4, staleMs: 300));
        var consumer = StartPeer("ring-consume", $"session={Session}", "ring=raw", "name=enc", "stall-after=1");
        consumer.WaitForLine("attached", PeerTimeout);
        Publish(writer, 1);
        consumer.WaitForLine("stalled", PeerTimeout);
        Publish(writer, 4);
        Assert.That(Libc.kill(consumer.Pid, 19 /* SIGSTOP */), Is.Zero);
        try
        {
            var clock = Stopwatch.StartNew();
            Assert.That(writer.TryClaim(64, TimeSpan.FromSeconds(10), out var slot), Is.True);
            writer.Publish(ref slot);
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        }
        finally
        {
            Libc.kill(consumer.Pid, 18 /* SIGCONT */);
        }
    }

    [Test]
    public void Consumer_killed_and_restarted_by_name_resumes_exactly_at_its_cursor()
    {
        using var writer = FrameWriter.Create(Session, "raw", Small(slots: 16));
        var first = StartPeer("ring-consume", $"session={Session}", "ring=raw", "name=enc", "stall-after=3");
        first.WaitForLine("attached cursor=0", PeerTimeout);
        Publish(writer, 8);
        first.WaitForLine("stalled at 2", PeerTimeout);
        first.Kill();

        var second = StartPeer("ring-consume", $"session={Session}", "ring=raw", "name=enc", "count=5");
        second.WaitForLine("attached cursor=3", PeerTimeout);
        var summary = second.WaitForLine("summary", PeerTimeout);
        Assert.That(second.WaitForExit(PeerTimeout), Is.EqualTo(0), second.Output);
        Assert.That(summary, Does.Contain("received=5 skipped=0 torn=0 bad=0 next=8"));
    }

    private static void Publish(FrameWriter writer, int count)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.That(writer.TryClaim(64, TimeSpan.FromSeconds(10), out var slot), Is.True);
            slot.Header.FrameId = slot.Sequence;
            slot.Header.User0 = 64;
            FramePattern.Fill(slot.Payload, slot.Sequence);
            writer.Publish(ref slot);
        }
    }

    /// <summary>Reads until Closed (or <paramref name="stopAt"/> frames), checking order and payloads; returns the next expected sequence and the count of bad frames.</summary>
    private static (long Next, long Bad) ReadReliably(FrameReader reader, int min, int max, long expectedFirst = 0, long stopAt = long.MaxValue)
    {
        var next = expectedFirst;
        long bad = 0;
        while (next < stopAt)
        {
            var status = reader.TryRead(TimeSpan.FromSeconds(30), out var slot);
            if (status == ReadStatus.Closed)
            {
                break;
            }
            Assert.That(status, Is.EqualTo(ReadStatus.Frame), $"no frame after {next}");
            var ok = slot.Sequence == next && slot.Header.FrameId == next &&
                     slot.Payload.Length == FramePattern.LengthFor(next, min, max) &&
                     FramePattern.Check(slot.Payload, next);
            if (!reader.Release() || !ok)
            {
                bad++;
            }
            next = slot.Sequence + 1;
        }
        return (next, bad);
    }
}
