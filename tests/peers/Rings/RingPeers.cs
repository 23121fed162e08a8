using Aqs.Shared.Rings;

namespace Aqs.TestPeers.Rings;

/// <summary>
/// Producer and consumer processes for the cross-process ring tests. Frames carry
/// <see cref="FramePattern"/> payloads and FrameId = sequence, so either side can check the other.
/// </summary>
internal static class RingPeers
{
    /// <summary>
    /// <c>ring-produce session=S ring=R count=N [min=1] [max=65536] [slots=16] [capacity=65536]
    /// [stale-ms=2000] [close=1] [pace-us=0]</c>: publishes sequences writer.Published..N-1
    /// (so a restarted producer continues where the dead one stopped), then closes.
    /// </summary>
    [PeerRole("ring-produce")]
    private static int Produce(string[] args)
    {
        var a = new PeerArgs(args);
        var count = a.Int("count", 1000);
        var min = (int)a.Int("min", 1);
        var max = (int)a.Int("max", 65536);
        var options = new RingOptions((int)a.Int("slots", 16), (int)a.Int("capacity", 65536))
        {
            StaleAfter = TimeSpan.FromMilliseconds(a.Int("stale-ms", 2000)),
        };
        var paceUs = a.Int("pace-us", 0);
        using var writer = FrameWriter.Create(a.Text("session"), a.Text("ring"), options);
        Console.WriteLine($"producing from={writer.Published}");
        Console.Out.Flush();
        for (var seq = writer.Published; seq < count; seq++)
        {
            var length = FramePattern.LengthFor(seq, min, max);
            if (!writer.TryClaim(length, TimeSpan.FromSeconds(20), out var slot))
            {
                Console.Error.WriteLine($"ring-produce: no slot for frame {seq} within 20 s");
                return 3;
            }
            slot.Header.FrameId = seq;
            slot.Header.User0 = length;
            FramePattern.Fill(slot.Payload, seq);
            writer.Publish(ref slot);
            if (paceUs > 0)
            {
                Thread.Sleep(TimeSpan.FromMicroseconds(paceUs));
            }
        }
        if (a.Int("close", 1) != 0)
        {
            writer.Close();
        }
        Console.WriteLine($"produced to={writer.Published}");
        return 0;
    }

    /// <summary>
    /// <c>ring-consume session=S ring=R name=C [policy=reliable] [count=-1] [hold-us=0] [stall-after=-1]</c>: reads
    /// until Closed (or count frames), checks every payload and, for reliable, that sequences follow
    /// one another; prints <c>attached</c>, then <c>read N</c> every 100 frames, and a summary line.
    /// With stall-after=K it prints <c>stalled at N</c> after K frames and sleeps until killed.
    /// Exit 0 when every frame checked out.
    /// </summary>
    [PeerRole("ring-consume")]
    private static int Consume(string[] args)
    {
        var a = new PeerArgs(args);
        var policy = a.Text("policy", "reliable") == "latest" ? ConsumerPolicy.Latest : ConsumerPolicy.Reliable;
        var count = a.Int("count", -1);
        var holdUs = a.Int("hold-us", 0);
        var stallAfter = a.Int("stall-after", -1);
        using var reader = FrameReader.Attach(a.Text("session"), a.Text("ring"), policy, a.Text("name"), TimeSpan.FromSeconds(20));
        Console.WriteLine($"attached cursor={reader.Cursor}");
        Console.Out.Flush();
        var expected = reader.Cursor;
        long bad = 0, torn = 0, frames = 0;
        while (count < 0 || frames < count)
        {
            var status = reader.TryRead(TimeSpan.FromSeconds(20), out var slot);
            if (status == ReadStatus.Closed)
            {
                break;
            }
            if (status == ReadStatus.Timeout)
            {
                Console.Error.WriteLine($"ring-consume: no frame within 20 s after {frames}");
                return 4;
            }
            var ok = slot.Header.FrameId == slot.Sequence && FramePattern.Check(slot.Payload, slot.Sequence) &&
                     slot.Payload.Length == slot.Header.User0;
            if (policy == ConsumerPolicy.Reliable && slot.Sequence != expected)
            {
                Console.Error.WriteLine($"ring-consume: expected frame {expected}, got {slot.Sequence}");
                bad++;
            }
            expected = slot.Sequence + 1;
            if (holdUs > 0)
            {
                Thread.Sleep(TimeSpan.FromMicroseconds(holdUs));
            }
            var seq = slot.Sequence;
            if (!reader.Release())
            {
                torn++;
            }
            else if (!ok)
            {
                Console.Error.WriteLine($"ring-consume: frame {seq} failed its check");
                bad++;
            }
            frames++;
            if (frames == stallAfter)
            {
                Console.WriteLine($"stalled at {seq}");
                Console.Out.Flush();
                Thread.Sleep(Timeout.Infinite);
            }
            if (frames % 100 == 0)
            {
                Console.WriteLine($"read {seq}");
                Console.Out.Flush();
            }
        }
        Console.WriteLine($"summary received={reader.Received} skipped={reader.Skipped} torn={torn} bad={bad} next={expected}");
        return bad == 0 ? 0 : 1;
    }
}
