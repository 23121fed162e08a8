using Aqs.Kernel.Network.Wire;
using Aqs.Tests.Infrastructure;
using CsCheck;

namespace Aqs.Kernel.Network.Tests.Wire;

/// <summary>
/// Every field of a datagram as an attacker sets it: random bytes, sealed datagrams with fields rewritten, bits
/// flipped, lengths cut or padded, replays, strangers with another key or session. Nothing but the genuine
/// datagrams is accepted, and each refusal lands in exactly one drop counter.
/// </summary>
public class DatagramFuzzTests
{
    private static byte[] Plain(int payloadLength, byte fill)
    {
        var h = new PacketHeader { Kind = PacketKind.Feedback, PayloadLength = payloadLength };
        var bytes = new byte[WireFormat.HeaderLength + payloadLength];
        PacketHeaderCodec.Write(h, bytes);
        bytes.AsSpan(WireFormat.HeaderLength).Fill(fill);
        return bytes;
    }

    [Test]
    public void Random_bytes_are_never_accepted_and_every_one_is_counted()
    {
        using var receiver = new DatagramSealer(WireTestStream.Key, 9, EndpointRole.Receiver, encrypt: true);
        var sent = 0L;
        FixedSeedFuzz.Run("datagram random bytes", Gen.Byte.Array[0, WireFormat.MaxDatagram + 64], seed: 0xDA7A, iterations: 5000, bytes =>
        {
            sent++;
            Assert.That(receiver.Open(bytes, out _), Is.Not.EqualTo(OpenResult.Accepted));
            return true;
        });
        Assert.That(receiver.Drops.Total, Is.EqualTo(sent));
        Assert.That(receiver.Accepted, Is.Zero);
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Sealed_datagrams_with_any_field_rewritten_are_dropped_and_counted(bool encrypt)
    {
        // (byte index, xor mask, cut/pad): the header's every field and the tag, whatever the mask.
        var gen = Gen.Select(Gen.Int[0, 1300], Gen.Byte[1, 255], Gen.Int[-40, 40], Gen.Int[1, 1100]);
        FixedSeedFuzz.Run($"datagram mutated fields (encrypt {encrypt})", gen, seed: encrypt ? 0xF1E1DUL : 0xF1E1EUL, iterations: 3000, t =>
        {
            var (index, mask, resize, payload) = t;
            using var sender = new DatagramSealer(WireTestStream.Key, 9, EndpointRole.Sender, encrypt);
            using var receiver = new DatagramSealer(WireTestStream.Key, 9, EndpointRole.Receiver, encrypt);
            var buffer = new byte[WireFormat.MaxDatagram + 64];
            var n = sender.Seal(Plain(payload, 0x42), buffer, 7, out _);
            using (var control = new DatagramSealer(WireTestStream.Key, 9, EndpointRole.Receiver, encrypt))
            {
                Assert.That(control.Open(buffer[..n], out _), Is.EqualTo(OpenResult.Accepted), "the untouched datagram opens");
            }
            if (resize == 0 && mask == 0)
            {
                return false;
            }
            var wire = buffer[..Math.Clamp(n + resize, 0, buffer.Length)];
            if (wire.Length > 0)
            {
                wire[index % wire.Length] ^= mask;
            }
            Assert.That(receiver.Open(wire, out _), Is.Not.EqualTo(OpenResult.Accepted), $"{n} bytes, byte {index % Math.Max(1, wire.Length)} ^ {mask}, resized {resize}");
            Assert.That(receiver.Drops.Total, Is.EqualTo(1));
            return true;
        });
    }

    [Test]
    public void Strangers_and_replays_are_dropped_while_every_genuine_datagram_is_accepted()
    {
        var gen = Gen.Select(Gen.Int[0, 3], Gen.Int[1, 1100]).Array[1, 60];
        FixedSeedFuzz.Run("datagram strangers and replays", gen, seed: 0x57A6, iterations: 400, steps =>
        {
            using var sender = new DatagramSealer(WireTestStream.Key, 9, EndpointRole.Sender, encrypt: true);
            using var otherKey = new DatagramSealer(DatagramSealer.NewKey(), 9, EndpointRole.Sender, encrypt: true);
            using var otherSession = new DatagramSealer(WireTestStream.Key, 10, EndpointRole.Sender, encrypt: true);
            using var receiver = new DatagramSealer(WireTestStream.Key, 9, EndpointRole.Receiver, encrypt: true);
            var genuine = new List<byte[]>();
            long attacks = 0, accepted = 0;
            foreach (var (kind, payload) in steps)
            {
                var buffer = new byte[WireFormat.MaxDatagram];
                byte[] wire;
                switch (kind)
                {
                    case 0:
                        wire = buffer[..sender.Seal(Plain(payload, 1), buffer, 1, out _)];
                        genuine.Add((byte[])wire.Clone());
                        if (receiver.Open(wire, out _) == OpenResult.Accepted)
                        {
                            accepted++;
                        }
                        continue;
                    case 1 when genuine.Count > 0:
                        wire = (byte[])genuine[payload % genuine.Count].Clone(); // replay
                        break;
                    case 2:
                        wire = buffer[..otherKey.Seal(Plain(payload, 2), buffer, 1, out _)];
                        break;
                    default:
                        wire = buffer[..otherSession.Seal(Plain(payload, 3), buffer, 1, out _)];
                        break;
                }
                attacks++;
                Assert.That(receiver.Open(wire, out _), Is.Not.EqualTo(OpenResult.Accepted));
            }
            Assert.That(accepted, Is.EqualTo(genuine.Count), "every genuine datagram accepted");
            Assert.That(receiver.Drops.Total, Is.EqualTo(attacks), "every attack counted once");
            return attacks > 0;
        });
    }
}
