using Aqs.Kernel.Network.Fec;
using Aqs.Kernel.Network.Wire;

namespace Aqs.Kernel.Network.Tests.Wire;

public class DatagramSealerTests
{
    private static byte[] Plain(int payloadLength, byte fill)
    {
        var h = new PacketHeader { Kind = PacketKind.Feedback, PayloadLength = payloadLength };
        var bytes = new byte[WireFormat.HeaderLength + payloadLength];
        PacketHeaderCodec.Write(h, bytes);
        bytes.AsSpan(WireFormat.HeaderLength).Fill(fill);
        return bytes;
    }

    private static byte[] Seal(DatagramSealer sealer, byte[] plain, ulong time = 5)
    {
        var buffer = new byte[WireFormat.MaxDatagram];
        var n = sealer.Seal(plain, buffer, time, out _);
        return buffer[..n];
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Sealed_datagram_opens_to_the_same_header_and_payload(bool encrypt)
    {
        using var sender = new DatagramSealer(WireTestStream.Key, 9, EndpointRole.Sender, encrypt);
        using var receiver = new DatagramSealer(WireTestStream.Key, 9, EndpointRole.Receiver, encrypt);
        var plain = Plain(300, 0x5A);
        var wire = Seal(sender, plain, time: 42);
        Assert.That(wire.AsSpan(WireFormat.HeaderLength, 300).SequenceEqual(plain.AsSpan(WireFormat.HeaderLength)), Is.EqualTo(!encrypt));
        Assert.That(receiver.Open(wire, out var h), Is.EqualTo(OpenResult.Accepted));
        Assert.That((h.SessionId, h.SendTimeUs, h.Sequence, h.Kind, h.PayloadLength), Is.EqualTo((9u, 42UL, 0u, PacketKind.Feedback, 300)));
        Assert.That(wire.AsSpan(WireFormat.HeaderLength, 300).ToArray(), Is.All.EqualTo(0x5A));
        Assert.That((h.Flags & PacketFlags.Encrypted) != 0, Is.EqualTo(encrypt));
    }

    [Test]
    public void Every_single_byte_change_is_dropped_and_counted()
    {
        using var sender = new DatagramSealer(WireTestStream.Key, 9, EndpointRole.Sender, encrypt: true);
        using var receiver = new DatagramSealer(WireTestStream.Key, 9, EndpointRole.Receiver, encrypt: true);
        var wire = Seal(sender, Plain(100, 1));
        for (var i = 0; i < wire.Length; i++)
        {
            var tampered = (byte[])wire.Clone();
            tampered[i] ^= 0x10;
            Assert.That(receiver.Open(tampered, out _), Is.Not.EqualTo(OpenResult.Accepted), $"byte {i}");
        }
        Assert.That(receiver.Drops.Total, Is.EqualTo(wire.Length));
        Assert.That(receiver.Drops.BadTag, Is.GreaterThan(100));
        Assert.That(receiver.Open(wire, out _), Is.EqualTo(OpenResult.Accepted), "the untouched datagram still opens");
    }

    [Test]
    public void Replayed_datagram_is_dropped_as_replayed()
    {
        using var sender = new DatagramSealer(WireTestStream.Key, 9, EndpointRole.Sender, encrypt: false);
        using var receiver = new DatagramSealer(WireTestStream.Key, 9, EndpointRole.Receiver, encrypt: false);
        var first = Seal(sender, Plain(10, 1));
        var second = Seal(sender, Plain(10, 2));
        Assert.That(receiver.Open((byte[])second.Clone(), out _), Is.EqualTo(OpenResult.Accepted));
        Assert.That(receiver.Open((byte[])first.Clone(), out _), Is.EqualTo(OpenResult.Accepted), "out of order within the window");
        Assert.That(receiver.Open(first, out _), Is.EqualTo(OpenResult.Replayed));
        Assert.That(receiver.Open(second, out _), Is.EqualTo(OpenResult.Replayed));
        Assert.That(receiver.Drops.Replayed, Is.EqualTo(2));
    }

    [Test]
    public void Datagram_older_than_the_window_is_dropped_as_replayed()
    {
        using var sender = new DatagramSealer(WireTestStream.Key, 9, EndpointRole.Sender, encrypt: false);
        using var receiver = new DatagramSealer(WireTestStream.Key, 9, EndpointRole.Receiver, encrypt: false);
        var old = Seal(sender, Plain(10, 1));
        byte[] last = [];
        for (var i = 0; i < ReplayWindow.Size; i++)
        {
            last = Seal(sender, Plain(10, 1));
        }
        Assert.That(receiver.Open(last, out _), Is.EqualTo(OpenResult.Accepted));
        Assert.That(receiver.Open(old, out _), Is.EqualTo(OpenResult.Replayed));
    }

    [Test]
    public void Wrong_session_other_key_same_role_and_plaintext_are_each_dropped_for_their_reason()
    {
        using var sender = new DatagramSealer(WireTestStream.Key, 9, EndpointRole.Sender, encrypt: false);
        using var otherSession = new DatagramSealer(WireTestStream.Key, 10, EndpointRole.Receiver, encrypt: false);
        using var otherKey = new DatagramSealer(DatagramSealer.NewKey(), 9, EndpointRole.Receiver, encrypt: false);
        using var sameRole = new DatagramSealer(WireTestStream.Key, 9, EndpointRole.Sender, encrypt: false);
        using var strict = new DatagramSealer(WireTestStream.Key, 9, EndpointRole.Receiver, encrypt: true, requireEncryption: true);
        var wire = Seal(sender, Plain(50, 3));
        Assert.That(otherSession.Open((byte[])wire.Clone(), out _), Is.EqualTo(OpenResult.WrongSession));
        Assert.That(otherKey.Open((byte[])wire.Clone(), out _), Is.EqualTo(OpenResult.BadTag));
        Assert.That(sameRole.Open((byte[])wire.Clone(), out _), Is.EqualTo(OpenResult.BadTag), "direction is part of the nonce");
        Assert.That(strict.Open((byte[])wire.Clone(), out _), Is.EqualTo(OpenResult.NotEncrypted));
    }

    [Test]
    public void Sequences_never_repeat_within_a_sealer()
    {
        using var sender = new DatagramSealer(WireTestStream.Key, 9, EndpointRole.Sender, encrypt: true);
        var plain = Plain(1, 0);
        var buffer = new byte[WireFormat.MaxDatagram];
        var seen = new HashSet<uint>();
        for (var i = 0; i < 1000; i++)
        {
            sender.Seal(plain, buffer, 0, out var seq);
            Assert.That(seen.Add(seq), Is.True);
        }
    }

    [Test]
    public void Encryption_defaults_on_for_non_loopback_peers()
    {
        Assert.That(DatagramSealer.ShouldEncrypt(System.Net.IPAddress.Loopback), Is.False);
        Assert.That(DatagramSealer.ShouldEncrypt(System.Net.IPAddress.Parse("192.0.2.7")), Is.True);
    }

    [Test]
    public void Key_of_wrong_length_is_refused_with_its_length()
    {
        var error = Assert.Throws<ArgumentException>(() => new DatagramSealer(new byte[16], 1, EndpointRole.Sender, true));
        Assert.That(error!.Message, Does.Contain("length=16"));
    }

    [Test]
    public void Parity_policy_is_clamped_to_255_shards()
    {
        Assert.That(new FixedRatioParity(0.5, 1.0, max: 200).ParityShards(200, keyframe: true), Is.EqualTo(55));
    }
}
