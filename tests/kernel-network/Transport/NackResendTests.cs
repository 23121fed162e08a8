using System.Net;
using System.Net.Sockets;
using Aqs.Kernel.Network.Fec;
using Aqs.Kernel.Network.Feedback;
using Aqs.Kernel.Network.Transport;
using Aqs.Kernel.Network.Wire;

namespace Aqs.Kernel.Network.Tests.Transport;

public class NackResendTests : TransportTestSession
{
    [Test]
    public void Ring_returns_what_was_stored_under_a_sequence_until_it_is_overwritten()
    {
        var ring = new SentPacketRing(4);
        ring.Store(1, [1, 2, 3], frameStartUs: 10);
        Assert.That(ring.TryGet(1, out var plain, out var start), Is.True);
        Assert.That(plain.ToArray(), Is.EqualTo(new byte[] { 1, 2, 3 }));
        Assert.That(start, Is.EqualTo(10));
        Assert.That(ring.TryGet(5, out _, out _), Is.False, "never stored");
        ring.Store(5, [9], frameStartUs: 20);
        Assert.That(ring.TryGet(1, out _, out _), Is.False, "slot reused by sequence 5");
        Assert.That(ring.TryGet(5, out plain, out _), Is.True);
        Assert.That(plain.ToArray(), Is.EqualTo(new byte[] { 9 }));
        Assert.That(() => new SentPacketRing(3), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    [CancelAfter(20_000)]
    public void A_nacked_media_datagram_comes_again_with_a_new_sequence_and_the_retransmission_flag()
    {
        var key = DatagramSealer.NewKey();
        var sessionId = SessionKeys.IdOf(Session);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var receiverSealer = new DatagramSealer(key, sessionId, EndpointRole.Receiver, encrypt: false);
        using var sender = new SenderSide(key, sessionId, encrypt: true, (IPEndPoint)socket.LocalEndPoint!, ErasureCoder.Create(),
            new AdaptiveParity(new NoParity()), emulator: null, new SenderOptions { Pacing = false, Probing = false });
        // Three full datagrams: the frame descriptor travels in front of the encoded bytes.
        var frame = MakeFrame(7, 3 * 1200 - FrameDescriptor.Length);
        Assert.That(sender.SendFrame(frame, 7, 1, keyframe: false), Is.True);

        var buffer = new byte[WireFormat.MaxDatagram];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        var originals = new Dictionary<uint, (PacketHeader Header, byte[] Payload)>();
        for (var i = 0; i < 3; i++)
        {
            var length = socket.ReceiveFrom(buffer, ref from);
            Assert.That(receiverSealer.Open(buffer.AsSpan(0, length), out var h), Is.EqualTo(OpenResult.Accepted));
            originals[h.Sequence] = (h, buffer.AsSpan(WireFormat.HeaderLength, h.PayloadLength).ToArray());
        }

        // Feedback: sequences 0 and 2 arrived, 1 did not.
        var report = new FeedbackReport { ReportTimeUs = 1_000, BaseSequence = 0, ArrivalCount = 3, HighestSequence = 2, NackCount = 1 };
        report.ArrivalTimesUs[0] = 900;
        report.ArrivalTimesUs[1] = FeedbackReport.NotReceived;
        report.ArrivalTimesUs[2] = 950;
        report.Nacks[0] = 1;
        var plain = new byte[WireFormat.HeaderLength + WireFormat.MaxPayload];
        Assert.That(FeedbackCodec.TryWrite(report, plain.AsSpan(WireFormat.HeaderLength), out var written), Is.True);
        PacketHeaderCodec.Write(new PacketHeader { Kind = PacketKind.Feedback, PayloadLength = written }, plain);
        var sealedFeedback = new byte[WireFormat.MaxDatagram];
        var sealedLength = receiverSealer.Seal(plain.AsSpan(0, WireFormat.HeaderLength + written), sealedFeedback, 1_000, out _);
        socket.SendTo(sealedFeedback.AsSpan(0, sealedLength), from);

        Assert.That(socket.Poll(TimeSpan.FromSeconds(5), SelectMode.SelectRead), Is.True, "the resend arrives");
        var resentLength = socket.Receive(buffer);
        Assert.That(receiverSealer.Open(buffer.AsSpan(0, resentLength), out var resent), Is.EqualTo(OpenResult.Accepted));
        var original = originals[1];
        Assert.That(resent.Sequence, Is.EqualTo(3u), "resealed under the next transport sequence");
        Assert.That(resent.Flags & PacketFlags.Retransmission, Is.EqualTo(PacketFlags.Retransmission));
        Assert.That(resent.Flags & PacketFlags.Encrypted, Is.EqualTo(PacketFlags.Encrypted));
        Assert.That((resent.FrameId, resent.BlockIndex, resent.ShardIndex, resent.Kind), Is.EqualTo((original.Header.FrameId, original.Header.BlockIndex, original.Header.ShardIndex, PacketKind.Media)));
        Assert.That(buffer.AsSpan(WireFormat.HeaderLength, resent.PayloadLength).ToArray(), Is.EqualTo(original.Payload), "same shard bytes");
        Assert.That(sender.Retransmissions, Is.EqualTo(1));
        Assert.That(socket.Poll(TimeSpan.FromMilliseconds(200), SelectMode.SelectRead), Is.False, "only the NACKed datagram is resent");
    }
}
