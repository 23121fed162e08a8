using System.Buffers.Binary;
using Aqs.Kernel.Network.Egress.Rtcp;
using Aqs.Tests.Infrastructure;
using CsCheck;

namespace Aqs.Kernel.Network.Tests.Egress.Rtcp;

public class RtcpPacketTests
{
    /// <summary>An RR with one block, then an SDES, as ffmpeg's receiver sends them (RFC 3550 §6.4.2).</summary>
    private static byte[] ReceiverReport(uint source, byte fraction, int cumulative, uint jitter, uint lsr, uint dlsr)
    {
        var packet = new byte[32 + 12];
        packet[0] = 0x81;
        packet[1] = RtcpPacket.ReceiverReport;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), 7);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), 0x1234);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), source);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(12), ((uint)fraction << 24) | ((uint)cumulative & 0xffffff));
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(16), 70000);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(20), jitter);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(24), lsr);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(28), dlsr);
        packet[32] = 0x81;
        packet[33] = 202; // SDES, skipped
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(34), 2);
        return packet;
    }

    [Test]
    public void Report_block_of_a_compound_receiver_report_is_read_field_by_field()
    {
        var blocks = new List<RtcpReportBlock>();
        var ok = RtcpPacket.TryReadReportBlocks(ReceiverReport(0xCAFEBABE, 64, -3, 900, 0x11223344, 65536), blocks);
        Assert.Multiple(() =>
        {
            Assert.That(ok, Is.True);
            Assert.That(blocks, Has.Count.EqualTo(1));
            Assert.That(blocks[0].ReporterSsrc, Is.EqualTo(0x1234u));
            Assert.That(blocks[0].SourceSsrc, Is.EqualTo(0xCAFEBABEu));
            Assert.That(blocks[0].LossFraction, Is.EqualTo(0.25));
            Assert.That(blocks[0].CumulativeLost, Is.EqualTo(-3), "24-bit signed");
            Assert.That(blocks[0].ExtendedHighestSequence, Is.EqualTo(70000u));
            Assert.That(blocks[0].Jitter, Is.EqualTo(900u));
            Assert.That(blocks[0].LastSr, Is.EqualTo(0x11223344u));
            Assert.That(blocks[0].DelaySinceLastSr, Is.EqualTo(65536u));
        });
    }

    [Test]
    public void Truncated_or_foreign_datagrams_are_refused_without_throwing()
    {
        var whole = ReceiverReport(1, 0, 0, 0, 0, 0);
        var blocks = new List<RtcpReportBlock>();
        Assert.Multiple(() =>
        {
            Assert.That(RtcpPacket.TryReadReportBlocks(whole.AsSpan(0, 20), blocks), Is.False);
            Assert.That(RtcpPacket.TryReadReportBlocks([0x00, 201, 0, 1, 0, 0, 0, 0], blocks), Is.False, "version 0");
            Assert.That(RtcpPacket.TryReadReportBlocks(new byte[3], blocks), Is.False);
            Assert.That(blocks, Is.Empty);
        });
        Gen.Byte.Array[0, 200].SampleFixed(bytes => { RtcpPacket.TryReadReportBlocks(bytes, []); }, seed: 0x5C0501);
    }

    [Test]
    public void Sender_report_gives_the_middle_of_its_ntp_time_as_receivers_echo_it()
    {
        var sr = new byte[28];
        sr[0] = 0x80;
        sr[1] = RtcpPacket.SenderReport;
        BinaryPrimitives.WriteUInt32BigEndian(sr.AsSpan(8), 0xAABBCCDD);  // NTP seconds
        BinaryPrimitives.WriteUInt32BigEndian(sr.AsSpan(12), 0xEEFF0011); // NTP fraction
        Assert.Multiple(() =>
        {
            Assert.That(RtcpPacket.SenderReportNtpMiddle(sr), Is.EqualTo(0xCCDDEEFFu));
            Assert.That(RtcpPacket.IsRtcp(sr), Is.True);
            Assert.That(RtcpPacket.IsRtcp([0x80, 96]), Is.False, "an RTP packet with payload type 96");
        });
    }
}
