using System.Diagnostics;
using Aqs.Shared.Rings;
using Aqs.Shared.Tests.Rings.Infrastructure;
using Aqs.TestPeers.Rings;

namespace Aqs.Shared.Tests.Rings;

/// <summary>Writer and reader in one process (the mapping is shared all the same); behaviour, not speed.</summary>
public class RingInProcessTests : RingTestBase
{
    [Test]
    public void Ring_round_trips_a_frame_header_and_payload_in_place()
    {
        using var writer = FrameWriter.Create(Session, "raw", Small());
        using var reader = FrameReader.Attach(Session, "raw", ConsumerPolicy.Reliable, "display");
        Assert.That(writer.TryClaim(1000, TimeSpan.Zero, out var slot), Is.True);
        slot.Header.FrameId = 42;
        slot.Header.Flags = SlotFlags.Keyframe | SlotFlags.SceneCut;
        slot.Header.User2 = -7;
        FramePattern.Fill(slot.Payload, 0);
        writer.Publish(ref slot);

        Assert.That(reader.TryRead(TimeSpan.FromSeconds(1), out var read), Is.EqualTo(ReadStatus.Frame));
        var seen = (read.Sequence, read.Header.FrameId, read.Header.Flags, read.Header.User2, read.Payload.Length, FramePattern.Check(read.Payload, 0));
        Assert.That(seen, Is.EqualTo((0L, 42L, SlotFlags.Keyframe | SlotFlags.SceneCut, -7L, 1000, true)));
        Assert.That(reader.Release(), Is.True);
        Assert.That(reader.Received, Is.EqualTo(1));
    }

    [Test]
    public void Reliable_consumer_gets_every_frame_in_order_across_many_wrap_arounds()
    {
        using var writer = FrameWriter.Create(Session, "raw", Small(slots: 4, capacity: 8000));
        using var reader = FrameReader.Attach(Session, "raw", ConsumerPolicy.Reliable, "enc");
        const int frames = 4 * 250;
        var consumer = Task.Run(() =>
        {
            var next = 0L;
            while (reader.TryRead(TimeSpan.FromSeconds(10), out var slot) == ReadStatus.Frame)
            {
                var ok = slot.Sequence == next && FramePattern.Check(slot.Payload, next) && slot.Payload.Length == FramePattern.LengthFor(next, 1, 8000);
                Assert.That(reader.Release(), Is.True);
                if (!ok)
                {
                    return next;
                }
                next++;
            }
            return next;
        });
        for (long seq = 0; seq < frames; seq++)
        {
            Assert.That(writer.TryClaim(FramePattern.LengthFor(seq, 1, 8000), TimeSpan.FromSeconds(10), out var slot), Is.True);
            FramePattern.Fill(slot.Payload, seq);
            writer.Publish(ref slot);
        }
        writer.Close();
        Assert.That(consumer.Wait(TimeSpan.FromSeconds(30)), Is.True);
        Assert.That(consumer.Result, Is.EqualTo(frames));
    }

    [Test]
    public void Ring_rejects_claim_when_full_until_the_timeout()
    {
        using var writer = FrameWriter.Create(Session, "raw", Small(slots: 2));
        using var reader = FrameReader.Attach(Session, "raw", ConsumerPolicy.Reliable, "slow");
        for (var i = 0; i < 2; i++)
        {
            Assert.That(writer.TryClaim(10, TimeSpan.Zero, out var s), Is.True);
            writer.Publish(ref s);
        }
        var clock = Stopwatch.StartNew();
        Assert.That(writer.TryClaim(10, TimeSpan.FromMilliseconds(100), out _), Is.False);
        Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(90)));

        Assert.That(reader.TryRead(TimeSpan.Zero, out _), Is.EqualTo(ReadStatus.Frame));
        reader.Release();
        Assert.That(writer.TryClaim(10, TimeSpan.Zero, out var again), Is.True);
        Assert.That(again.Sequence, Is.EqualTo(2));
    }

    [Test]
    public void Producer_blocked_by_a_slow_consumer_wakes_when_it_releases()
    {
        using var writer = FrameWriter.Create(Session, "raw", Small(slots: 2));
        using var reader = FrameReader.Attach(Session, "raw", ConsumerPolicy.Reliable, "slow");
        for (var i = 0; i < 2; i++)
        {
            Assert.That(writer.TryClaim(10, TimeSpan.Zero, out var s), Is.True);
            writer.Publish(ref s);
        }
        var release = Task.Run(() =>
        {
            Thread.Sleep(50);
            reader.TryRead(TimeSpan.Zero, out _);
            reader.Release();
        });
        Assert.That(writer.TryClaim(10, TimeSpan.FromSeconds(10), out _), Is.True);
        release.Wait();
    }

    [Test]
    public void Payload_larger_than_the_slot_is_refused_with_the_sizes_named()
    {
        using var writer = FrameWriter.Create(Session, "raw", Small(capacity: 4096));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => writer.TryClaim(4097, TimeSpan.Zero, out _));
        Assert.That(ex!.Message, Does.Contain("4097").And.Contain("4096").And.Contain($"aqs.{Session}.raw"));
    }

    [Test]
    public void Latest_consumer_skips_to_the_newest_frame_and_never_gates_the_producer()
    {
        using var writer = FrameWriter.Create(Session, "raw", Small(slots: 4));
        using var reader = FrameReader.Attach(Session, "raw", ConsumerPolicy.Latest, "display");
        for (long seq = 0; seq < 10; seq++)
        {
            Assert.That(writer.TryClaim(64, TimeSpan.Zero, out var slot), Is.True, "a latest consumer must never make the producer wait");
            FramePattern.Fill(slot.Payload, seq);
            writer.Publish(ref slot);
        }
        Assert.That(reader.TryRead(TimeSpan.Zero, out var read), Is.EqualTo(ReadStatus.Frame));
        Assert.That(read.Sequence, Is.EqualTo(9));
        Assert.That(FramePattern.Check(read.Payload, 9), Is.True);
        Assert.That(reader.Release(), Is.True);
        Assert.That(reader.Skipped, Is.EqualTo(9));
        Assert.That(reader.TryRead(TimeSpan.Zero, out _), Is.EqualTo(ReadStatus.Timeout));
    }

    [Test]
    public void Latest_consumer_release_reports_a_slot_overwritten_while_held()
    {
        using var writer = FrameWriter.Create(Session, "raw", Small(slots: 2));
        using var reader = FrameReader.Attach(Session, "raw", ConsumerPolicy.Latest, "display");
        Assert.That(writer.TryClaim(64, TimeSpan.Zero, out var first), Is.True);
        writer.Publish(ref first);
        Assert.That(reader.TryRead(TimeSpan.Zero, out _), Is.EqualTo(ReadStatus.Frame));
        for (var i = 0; i < 2; i++)
        {
            Assert.That(writer.TryClaim(64, TimeSpan.Zero, out var s), Is.True);
            writer.Publish(ref s);
        }
        Assert.That(reader.Release(), Is.False);
    }

    [Test]
    public void Close_wakes_a_blocked_reader_after_it_drained_the_ring()
    {
        using var writer = FrameWriter.Create(Session, "raw", Small());
        using var reader = FrameReader.Attach(Session, "raw", ConsumerPolicy.Reliable, "r");
        Assert.That(writer.TryClaim(1, TimeSpan.Zero, out var s), Is.True);
        writer.Publish(ref s);
        var read = Task.Run(() =>
        {
            var statuses = new List<ReadStatus>();
            for (var i = 0; i < 2; i++)
            {
                var st = reader.TryRead(TimeSpan.FromSeconds(20), out _);
                statuses.Add(st);
                if (st == ReadStatus.Frame)
                {
                    reader.Release();
                }
            }
            return statuses;
        });
        Thread.Sleep(100);
        writer.Close();
        Assert.That(read.Wait(TimeSpan.FromSeconds(10)), Is.True, "Close must wake the sleeping reader");
        Assert.That(read.Result, Is.EqualTo(new[] { ReadStatus.Frame, ReadStatus.Closed }));
    }

    [Test]
    public void Reader_waiting_for_a_missing_ring_gives_up_with_a_one_line_error()
    {
        var clock = Stopwatch.StartNew();
        var ex = Assert.Throws<RingException>(() => FrameReader.Attach(Session, "nope", ConsumerPolicy.Reliable, "r", TimeSpan.FromMilliseconds(150)));
        Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(140)));
        Assert.That(ex!.Message, Is.EqualTo($"ring aqs.{Session}.nope does not exist (is its producer running for session {Session}?)"));
    }

    [Test]
    public void Reader_waits_for_a_ring_that_appears_later()
    {
        var attach = Task.Run(() => FrameReader.Attach(Session, "late", ConsumerPolicy.Reliable, "r", TimeSpan.FromSeconds(10)));
        Thread.Sleep(100);
        using var writer = FrameWriter.Create(Session, "late", Small());
        using var reader = attach.Result;
        Assert.That(writer.TryClaim(8, TimeSpan.Zero, out var s), Is.True);
        writer.Publish(ref s);
        Assert.That(reader.TryRead(TimeSpan.FromSeconds(5), out _), Is.EqualTo(ReadStatus.Frame));
    }

    [Test]
    public void Second_live_producer_is_refused()
    {
        using var writer = FrameWriter.Create(Session, "raw", Small());
        var ex = Assert.Throws<RingException>(() => FrameWriter.Create(Session, "raw", Small()));
        Assert.That(ex!.Message, Does.Contain("live producer").And.Contain($"pid {Environment.ProcessId}"));
    }

    [Test]
    public void Producer_reattaching_with_another_geometry_is_refused()
    {
        using (FrameWriter.Create(Session, "raw", Small(slots: 8)))
        {
        }
        var ex = Assert.Throws<RingException>(() => FrameWriter.Create(Session, "raw", Small(slots: 16)));
        Assert.That(ex!.Message, Does.Contain("another geometry").And.Contain("slots=8"));
    }

    [Test]
    public void Producer_disposed_without_close_resumes_its_cursor_on_recreate()
    {
        using (var first = FrameWriter.Create(Session, "raw", Small()))
        {
            for (var i = 0; i < 3; i++)
            {
                Assert.That(first.TryClaim(8, TimeSpan.Zero, out var s), Is.True);
                first.Publish(ref s);
            }
        }
        using var second = FrameWriter.Create(Session, "raw", Small());
        Assert.That(second.Published, Is.EqualTo(3));
    }

    [Test]
    public void Consumer_reattaching_by_name_resumes_at_its_cursor()
    {
        using var writer = FrameWriter.Create(Session, "raw", Small());
        using (var reader = FrameReader.Attach(Session, "raw", ConsumerPolicy.Reliable, "enc"))
        {
            for (var i = 0; i < 5; i++)
            {
                Assert.That(writer.TryClaim(8, TimeSpan.Zero, out var s), Is.True);
                writer.Publish(ref s);
            }
            for (var i = 0; i < 2; i++)
            {
                Assert.That(reader.TryRead(TimeSpan.Zero, out _), Is.EqualTo(ReadStatus.Frame));
                reader.Release();
            }
        }
        using var again = FrameReader.Attach(Session, "raw", ConsumerPolicy.Reliable, "enc");
        Assert.That(again.TryRead(TimeSpan.Zero, out var next), Is.EqualTo(ReadStatus.Frame));
        Assert.That(next.Sequence, Is.EqualTo(2));
    }

    [Test]
    public void Same_consumer_name_twice_while_alive_is_refused()
    {
        using var writer = FrameWriter.Create(Session, "raw", Small());
        using var reader = FrameReader.Attach(Session, "raw", ConsumerPolicy.Reliable, "enc");
        var ex = Assert.Throws<RingException>(() => FrameReader.Attach(Session, "raw", ConsumerPolicy.Latest, "enc"));
        Assert.That(ex!.Message, Does.Contain("'enc' is already attached"));
    }

    [Test]
    public void Consumers_beyond_max_are_refused_with_the_slots_named()
    {
        using var writer = FrameWriter.Create(Session, "raw", Small() with { MaxConsumers = 2 });
        using var a = FrameReader.Attach(Session, "raw", ConsumerPolicy.Latest, "a");
        using var b = FrameReader.Attach(Session, "raw", ConsumerPolicy.Latest, "b");
        var ex = Assert.Throws<RingException>(() => FrameReader.Attach(Session, "raw", ConsumerPolicy.Latest, "c"));
        Assert.That(ex!.Message, Does.Contain("all 2 consumer slots are taken"));
    }

    [Test]
    public void Bad_options_are_refused_with_the_value_named()
    {
        var ex = Assert.Throws<RingException>(() => FrameWriter.Create(Session, "raw", new RingOptions(6, 100)));
        Assert.That(ex!.Message, Does.Contain("slotCount=6"));
    }

    [Test]
    public void Claim_publish_read_release_allocate_nothing_per_frame()
    {
        using var writer = FrameWriter.Create(Session, "raw", Small(slots: 4));
        using var reliable = FrameReader.Attach(Session, "raw", ConsumerPolicy.Reliable, "enc");
        using var latest = FrameReader.Attach(Session, "raw", ConsumerPolicy.Latest, "display");
        void OneFrame()
        {
            writer.TryClaim(100, TimeSpan.FromSeconds(1), out var slot);
            slot.Header.FrameId = slot.Sequence;
            writer.Publish(ref slot);
            reliable.TryRead(TimeSpan.FromSeconds(1), out _);
            reliable.Release();
            if (latest.TryRead(TimeSpan.Zero, out _) == ReadStatus.Frame)
            {
                latest.Release();
            }
        }
        for (var i = 0; i < 100; i++)
        {
            OneFrame();
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            OneFrame();
        }
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
        Assert.That(reliable.Received, Is.EqualTo(1100));
    }
}
