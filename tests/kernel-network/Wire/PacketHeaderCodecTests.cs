using Aqs.Kernel.Network.Wire;
using Aqs.Tests.Infrastructure;
using CsCheck;

namespace Aqs.Kernel.Network.Tests.Wire;

public class PacketHeaderCodecTests
{
    private static PacketHeader Sample(int payload = 1200) => new()
    {
        Kind = PacketKind.Media,
        Flags = PacketFlags.Keyframe,
        StreamId = 3,
        SessionId = 0xDEADBEEF,
        Sequence = 123456,
        SendTimeUs = 0x0102030405060708,
        FrameId = 77,
        FrameLength = 10 * 1200 + 500,
        BlockOffset = 0,
        BlockIndex = 0,
        BlockCount = 2,
        ShardIndex = 4,
        DataShards = 10,
        ParityShards = 4,
        ShardSize = 1200,
        PayloadLength = payload,
    };

    [Test]
    public void Header_round_trips_through_write_and_parse()
    {
        var h = Sample();
        var bytes = new byte[WireFormat.HeaderLength + h.PayloadLength];
        PacketHeaderCodec.Write(h, bytes);
        Assert.That(PacketHeaderCodec.TryParse(bytes, out var parsed), Is.EqualTo(HeaderError.None));
        Assert.That(parsed, Is.EqualTo(h));
        Assert.That(bytes[0], Is.EqualTo(WireFormat.Version));
    }

    [Test]
    public void Parse_names_the_reason_for_each_kind_of_bad_header()
    {
        var h = Sample();
        var good = new byte[WireFormat.HeaderLength + h.PayloadLength];
        PacketHeaderCodec.Write(h, good);
        HeaderError Mutate(Action<byte[]> change)
        {
            var b = (byte[])good.Clone();
            change(b);
            return PacketHeaderCodec.TryParse(b, out _);
        }
        Assert.Multiple(() =>
        {
            Assert.That(PacketHeaderCodec.TryParse(good.AsSpan(0, 10), out _), Is.EqualTo(HeaderError.BadLength));
            Assert.That(Mutate(b => b[0] = 9), Is.EqualTo(HeaderError.UnsupportedVersion));
            Assert.That(Mutate(b => b[1] = 0), Is.EqualTo(HeaderError.UnknownKind));
            Assert.That(Mutate(b => b[2] = 0x80), Is.EqualTo(HeaderError.ReservedBits));
            Assert.That(Mutate(b => b[39] = 1), Is.EqualTo(HeaderError.ReservedBits));
            Assert.That(PacketHeaderCodec.TryParse(good.AsSpan(0, good.Length - 1), out _), Is.EqualTo(HeaderError.PayloadLength));
            Assert.That(Mutate(b => b[36] = 14), Is.EqualTo(HeaderError.BlockGeometry)); // shard index past k+m
            Assert.That(Mutate(b => b[1] = (byte)PacketKind.Parity), Is.EqualTo(HeaderError.BlockGeometry)); // parity kind on a data index
            Assert.That(Mutate(b => b[35] = 0), Is.EqualTo(HeaderError.FrameGeometry)); // block count 0
        });
    }

    [Test]
    public void Parse_never_throws_on_random_or_mutated_bytes_and_accepts_only_consistent_headers()
    {
        var h = Sample();
        var good = new byte[WireFormat.HeaderLength + h.PayloadLength];
        PacketHeaderCodec.Write(h, good);
        Gen.Select(Gen.Int[0, 1400], Gen.Int, Gen.Bool).SampleFixed(t =>
        {
            var (length, seed, mutate) = t;
            var random = new Random(seed);
            byte[] bytes;
            if (mutate)
            {
                bytes = (byte[])good.Clone();
                for (var i = random.Next(1, 4); i > 0; i--)
                {
                    bytes[random.Next(WireFormat.HeaderLength)] ^= (byte)random.Next(1, 256);
                }
            }
            else
            {
                bytes = new byte[length];
                random.NextBytes(bytes);
            }
            var error = PacketHeaderCodec.TryParse(bytes, out var parsed);
            if (error != HeaderError.None)
            {
                return parsed == default;
            }
            var rewritten = new byte[bytes.Length];
            bytes.AsSpan(WireFormat.HeaderLength).CopyTo(rewritten.AsSpan(WireFormat.HeaderLength));
            PacketHeaderCodec.Write(parsed, rewritten);
            return rewritten.AsSpan().SequenceEqual(bytes);
        }, seed: 0x5C0701, iter: 20000, threads: 1);
    }
}
