using System.Buffers.Binary;

namespace Aqs.Kernel.Network.Egress.Rtcp;

/// <summary>
/// Reads compound RTCP packets (RFC 3550 §6.1): walks each packet by its length word, takes the report blocks of
/// sender (200) and receiver (201) reports and skips the rest (SDES, BYE, APP, feedback). Malformed input yields
/// what was whole before it and is counted by the caller, never thrown.
/// </summary>
public static class RtcpPacket
{
    public const byte SenderReport = 200;
    public const byte ReceiverReport = 201;
    private const int SenderInfoLength = 20;

    /// <summary>True for the payload types RTCP uses (192..223 on the wire's second byte, RFC 5761 §4).</summary>
    public static bool IsRtcp(ReadOnlySpan<byte> packet) => packet.Length >= 2 && packet[1] is >= 192 and <= 223;

    /// <summary>Adds every report block in <paramref name="datagram"/> to <paramref name="blocks"/>; false when something in it was malformed.</summary>
    public static bool TryReadReportBlocks(ReadOnlySpan<byte> datagram, List<RtcpReportBlock> blocks)
    {
        while (datagram.Length >= 4)
        {
            var first = datagram[0];
            if (first >> 6 != 2)
            {
                return false;
            }
            var count = first & 0x1f;
            var type = datagram[1];
            var length = (BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]) + 1) * 4;
            if (length > datagram.Length)
            {
                return false;
            }
            var body = datagram[4..length];
            if (type is SenderReport or ReceiverReport)
            {
                var skip = 4 + (type == SenderReport ? SenderInfoLength : 0);
                if (body.Length < skip + count * RtcpReportBlock.Length)
                {
                    return false;
                }
                var reporter = BinaryPrimitives.ReadUInt32BigEndian(body);
                for (var i = 0; i < count; i++)
                {
                    blocks.Add(ReadBlock(reporter, body.Slice(skip + i * RtcpReportBlock.Length, RtcpReportBlock.Length)));
                }
            }
            datagram = datagram[length..];
        }
        return datagram.IsEmpty;
    }

    private static RtcpReportBlock ReadBlock(uint reporter, ReadOnlySpan<byte> b)
    {
        var lostWord = BinaryPrimitives.ReadUInt32BigEndian(b[4..]);
        var cumulative = (int)(lostWord << 8) >> 8; // sign-extend the 24-bit total
        return new RtcpReportBlock(reporter, BinaryPrimitives.ReadUInt32BigEndian(b), (byte)(lostWord >> 24), cumulative,
            BinaryPrimitives.ReadUInt32BigEndian(b[8..]), BinaryPrimitives.ReadUInt32BigEndian(b[12..]),
            BinaryPrimitives.ReadUInt32BigEndian(b[16..]), BinaryPrimitives.ReadUInt32BigEndian(b[20..]));
    }

    /// <summary>The middle 32 bits of a sender report's NTP timestamp (what receivers echo as LSR), or null when it is not an SR.</summary>
    public static uint? SenderReportNtpMiddle(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < 28 || packet[1] != SenderReport || packet[0] >> 6 != 2)
        {
            return null;
        }
        // header(4) SSRC(4) NTP seconds(4) NTP fraction(4): the middle bits are seconds' low 16 and fraction's high 16.
        return BinaryPrimitives.ReadUInt32BigEndian(packet[10..]);
    }
}
