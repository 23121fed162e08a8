using Aqs.Kernel.Network.Fec;
using Aqs.Kernel.Network.Wire;
using Aqs.Tests.Infrastructure;
using CsCheck;

namespace Aqs.Kernel.Network.Tests.Wire;

public class FrameReassemblerTests
{
    private static readonly ReassemblerOptions Options = new() { MaxFrameLength = 1 << 20, Slots = 8 };

    /// <summary>Opens and feeds datagrams; returns delivered frames by id.</summary>
    private sealed class Receiver : IDisposable
    {
        public readonly DatagramSealer Sealer;
        public readonly FrameReassembler Reassembler;
        private readonly IErasureCoder _coder = ErasureCoder.Create();
        public readonly Dictionary<uint, byte[]> Frames = [];

        public Receiver(bool encrypt = true, ReassemblerOptions? options = null)
        {
            Sealer = new DatagramSealer(WireTestStream.Key, WireTestStream.Session, EndpointRole.Receiver, encrypt);
            Reassembler = new FrameReassembler(_coder, options ?? Options);
        }

        public void Feed(byte[] datagram, long nowUs = 0)
        {
            if (Sealer.Open(datagram, out var h) == OpenResult.Accepted)
            {
                Reassembler.Accept(h, datagram.AsSpan(WireFormat.HeaderLength, h.PayloadLength), nowUs);
            }
            while (Reassembler.TryTakeFrame(out var frame))
            {
                Frames[frame.FrameId] = Reassembler.Data(frame).ToArray();
                Reassembler.Release(frame);
            }
        }

        public void Dispose()
        {
            Reassembler.Dispose();
            Sealer.Dispose();
            _coder.Dispose();
        }
    }

    [Test]
    public void Frames_survive_up_to_m_losses_per_block_in_any_order_with_duplicates()
    {
        using var sender = new WireTestStream(maxDataShardsPerBlock: 16);
        using var receiver = new Receiver();
        uint frameId = 0;
        Gen.Select(Gen.Int[1, 120_000], Gen.Double[0, 0.6], Gen.Int).SampleFixed(t =>
        {
            var (length, ratio, seed) = t;
            var random = new Random(seed);
            var frame = new byte[length];
            random.NextBytes(frame);
            var id = frameId++;
            var packets = sender.Frame(frame, id, keyframe: random.Next(2) == 0, new FixedRatioParity(ratio, ratio, min: 1));
            var kept = new List<byte[]>();
            foreach (var block in packets.GroupBy(p => p.Block))
            {
                var m = block.First().M;
                var lose = block.OrderBy(_ => random.Next()).Take(random.Next(m + 1)).Select(p => p.Shard).ToHashSet();
                kept.AddRange(block.Where(p => !lose.Contains(p.Shard)).Select(p => p.Bytes));
            }
            kept.AddRange(kept.Where(_ => random.Next(8) == 0).ToList()); // duplicates
            foreach (var datagram in kept.OrderBy(_ => random.Next()))
            {
                receiver.Feed(datagram);
            }
            return receiver.Frames.TryGetValue(id, out var got) && got.AsSpan().SequenceEqual(frame);
        }, seed: 0x5C0601, iter: 150, threads: 1);
        Assert.That(receiver.Reassembler.Counters.FramesLost, Is.Zero);
        Assert.That(receiver.Reassembler.Counters.ShardsRecovered, Is.GreaterThan(0));
    }

    [Test]
    public void Frame_missing_more_than_m_shards_of_a_block_is_lost_at_its_deadline_and_reported()
    {
        using var sender = new WireTestStream();
        using var receiver = new Receiver();
        var frame = new byte[5000];
        new Random(1).NextBytes(frame);
        var packets = sender.Frame(frame, 7, keyframe: false, new FixedRatioParity(0.25, 0.25, min: 1));
        var m = packets[0].M;
        foreach (var p in packets.Skip(m + 1))
        {
            receiver.Feed(p.Bytes, nowUs: 1000);
        }
        Assert.That(receiver.Frames, Is.Empty);
        Assert.That(receiver.Reassembler.Expire(1000 + Options.FrameDeadlineUs / 2), Is.Zero);
        Assert.That(receiver.Reassembler.Expire(1000 + Options.FrameDeadlineUs + 1), Is.EqualTo(1));
        Assert.That(receiver.Reassembler.TryTakeLostFrame(out var lost) && lost == 7, Is.True);
        receiver.Feed(packets[0].Bytes, nowUs: 2000);
        Assert.That(receiver.Reassembler.Counters.Stale, Is.EqualTo(1), "a late packet of a lost frame is stale, not a new frame");
    }

    [Test]
    public void Reassembling_and_packetizing_allocate_nothing_per_datagram_after_warm_up()
    {
        using var coder = new ManagedErasureCoder();
        using var pool = new DatagramPool(256);
        using var packetizer = new FramePacketizer(coder, pool);
        using var reassembler = new FrameReassembler(coder, Options);
        var refs = new PacketRef[256];
        var frame = new byte[30_000];
        var parity = new FixedRatioParity(0.2, 0.2, min: 1);
        void OneFrame(uint id)
        {
            packetizer.TryPacketize(frame, id, 0, false, parity, refs, out var count);
            for (var i = 1; i < count; i++) // first data shard lost: FEC rebuilds it
            {
                var datagram = pool.Datagram(refs[i]);
                PacketHeaderCodec.TryParse(datagram, out var h);
                reassembler.Accept(h, datagram[WireFormat.HeaderLength..], id);
            }
            for (var i = 0; i < count; i++)
            {
                pool.Return(refs[i].Buffer);
            }
            reassembler.TryTakeFrame(out var done);
            reassembler.Release(done);
        }
        OneFrame(0);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (uint id = 1; id < 50; id++)
        {
            OneFrame(id);
        }
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
        Assert.That(reassembler.Counters.FramesRecovered, Is.EqualTo(50));
    }

    [Test]
    public void Hundred_thousand_hostile_datagrams_are_all_counted_while_a_valid_stream_loses_nothing()
    {
        using var sender = new WireTestStream();
        using var receiver = new Receiver();
        var random = new Random(2024);
        var valid = new List<(uint Id, byte[] Frame, List<byte[]> Packets)>();
        for (uint id = 0; id < 60; id++)
        {
            var frame = new byte[random.Next(1, 40_000)];
            random.NextBytes(frame);
            valid.Add((id, frame, sender.Frame(frame, id, id % 20 == 0, new FixedRatioParity(0.2, 0.5, min: 1)).Select(p => p.Bytes).ToList()));
        }
        var pristine = valid.SelectMany(v => v.Packets).ToList();
        var queue = new Queue<byte[]>(pristine.Select(p => (byte[])p.Clone()));
        const int hostile = 100_000;
        long fed = 0;
        var validResults = new Dictionary<OpenResult, int>();
        void FeedValid(byte[] datagram)
        {
            var before = (receiver.Sealer.Accepted, receiver.Sealer.Drops);
            receiver.Feed(datagram);
            fed++;
            var r = receiver.Sealer.Accepted > before.Accepted ? OpenResult.Accepted
                : receiver.Sealer.Drops.BadTag > before.Drops.BadTag ? OpenResult.BadTag
                : receiver.Sealer.Drops.Replayed > before.Drops.Replayed ? OpenResult.Replayed : OpenResult.Malformed;
            validResults[r] = validResults.GetValueOrDefault(r) + 1;
        }
        for (var i = 0; i < hostile; i++)
        {
            byte[] bad;
            switch (random.Next(4))
            {
                case 0: // random bytes
                    bad = new byte[random.Next(0, 1400)];
                    random.NextBytes(bad);
                    break;
                case 1: // a valid datagram with a few bytes changed
                    bad = (byte[])pristine[random.Next(pristine.Count)].Clone();
                    for (var j = random.Next(1, 4); j > 0; j--)
                    {
                        bad[random.Next(bad.Length)] ^= (byte)random.Next(1, 256);
                    }
                    break;
                case 2: // a well-formed header of our session with garbage after it
                    bad = (byte[])pristine[random.Next(pristine.Count)].Clone();
                    random.NextBytes(bad.AsSpan(WireFormat.HeaderLength));
                    break;
                default: // truncated or extended copies
                    var source = pristine[random.Next(pristine.Count)];
                    var delta = random.Next(1, 60) * (random.Next(2) == 0 ? -1 : 1);
                    bad = new byte[Math.Max(0, source.Length + delta)];
                    source.AsSpan(0, Math.Min(source.Length, bad.Length)).CopyTo(bad);
                    break;
            }
            receiver.Feed(bad);
            fed++;
            if (i % 1000 == 0 && queue.Count > 0)
            {
                for (var j = 0; j < 40 && queue.Count > 0; j++)
                {
                    FeedValid(queue.Dequeue());
                }
            }
        }
        while (queue.Count > 0)
        {
            FeedValid(queue.Dequeue());
        }
        var sealer = receiver.Sealer;
        TestContext.Out.WriteLine("valid: " + string.Join(", ", validResults.Select(kv => $"{kv.Key}={kv.Value}")));
        Assert.That(sealer.Accepted + sealer.Drops.Total, Is.EqualTo(fed), "every datagram accepted or counted as dropped");
        Assert.That(receiver.Reassembler.Counters.Packets, Is.EqualTo(sealer.Accepted), "every accepted datagram counted by the reassembler");
        Assert.That(sealer.Accepted, Is.EqualTo(pristine.Count), "exactly the valid datagrams got through");
        foreach (var (id, frame, _) in valid)
        {
            Assert.That(receiver.Frames.TryGetValue(id, out var got) && got.AsSpan().SequenceEqual(frame), Is.True, $"frame {id}");
        }
        TestContext.Out.WriteLine($"drops: {sealer.Drops}; reassembly: {receiver.Reassembler.Counters}");
    }

    [Test]
    public void Hostile_but_authentic_shard_headers_never_throw_and_are_counted()
    {
        using var coder = new ManagedErasureCoder();
        using var reassembler = new FrameReassembler(coder, new ReassemblerOptions { MaxFrameLength = 64 * 1024, Slots = 4, MaxParityShardsPerFrame = 64 });
        var payload = new byte[WireFormat.MaxPayload];
        var random = new Random(5);
        var accepted = 0;
        var bytes = new byte[WireFormat.HeaderLength + WireFormat.MaxPayload];
        for (var i = 0; i < 200_000; i++)
        {
            random.NextBytes(bytes.AsSpan(0, WireFormat.HeaderLength));
            bytes[0] = WireFormat.Version;
            bytes[1] = (byte)random.Next(1, 3);
            bytes[2] &= 7;
            bytes[39] = 0;
            // keep numbers small so a good share passes the codec
            bytes[20] = bytes[21] = bytes[22] = 0; bytes[23] &= 7;
            bytes[24] = bytes[25] = 0; bytes[26] &= 0x1;
            bytes[28] = bytes[29] = 0; bytes[30] &= 0x1;
            bytes[32] = 0; bytes[33] &= 3; bytes[34] = 0; bytes[35] &= 3;
            bytes[36] &= 7; bytes[37] &= 7; bytes[38] &= 3;
            bytes[40] &= 0x3; bytes[42] = bytes[40]; bytes[43] = bytes[41];
            var length = WireFormat.HeaderLength + ((bytes[42] << 8) | bytes[43]);
            if (length > bytes.Length || PacketHeaderCodec.TryParse(bytes.AsSpan(0, length), out var h) != HeaderError.None)
            {
                continue;
            }
            accepted++;
            reassembler.Accept(h, bytes.AsSpan(WireFormat.HeaderLength, h.PayloadLength), i);
            reassembler.Expire(i);
            while (reassembler.TryTakeFrame(out var f))
            {
                Assert.That(reassembler.Data(f).Length, Is.EqualTo(f.Length));
                reassembler.Release(f);
            }
        }
        Assert.That(accepted, Is.GreaterThan(300), "the generator reaches the reassembler");
        Assert.That(reassembler.Counters.Packets, Is.EqualTo(accepted));
    }
}
