using System.Buffers.Binary;

namespace Aqs.Kernel.Network.Feedback;

/// <summary>
/// Byte form of a <see cref="FeedbackReport"/> (little-endian):
/// <code>
///  0  u8   version (1)
///  1  u8   nack count N (≤ 64)
///  2  u16  report sequence
///  4  i64  report time µs (receiver clock)
/// 12  i64  base sequence
/// 20  u16  arrival count A (≤ 480)
/// 22  i64  highest sequence
/// 30  u32  cumulative lost
/// 34  u16  interval loss fraction × 65535
/// 36  u16  loss rate × 65535
/// 38  u16  mean burst length × 256 (8.8 fixed point)
/// 40  u32  jitter µs
/// 44  i64  echoed send time µs (sender clock)
/// 52  u32  echo hold µs
/// 56  A × i16  arrival: ticks of 100 µs after the previous received entry (the first after report time
///             to the report time, so usually negative);
///             -32768 = not received
///     N × u16  NACK: highest sequence minus the NACKed one
/// </code>
/// Arrival times are quantised to 100 µs on a cumulative grid (no drift across a report). An arrival whose
/// step does not fit 16 bits (a packet over 3.2 s late) is sent as not received.
/// </summary>
public static class FeedbackCodec
{
    public const byte Version = 1;
    public const int HeaderSize = 56;
    public const int TickUs = 100;
    public const int MaxEncodedSize = HeaderSize + FeedbackReport.MaxArrivals * 2 + FeedbackReport.MaxNacks * 2;
    private const short NotReceivedCode = short.MinValue;

    public static int EncodedSize(FeedbackReport report) => HeaderSize + report.ArrivalCount * 2 + report.NackCount * 2;

    public static bool TryWrite(FeedbackReport report, Span<byte> destination, out int written)
    {
        written = 0;
        if (report.ArrivalCount is < 0 or > FeedbackReport.MaxArrivals || report.NackCount is < 0 or > FeedbackReport.MaxNacks)
        {
            return false;
        }
        var size = EncodedSize(report);
        if (destination.Length < size)
        {
            return false;
        }
        destination[0] = Version;
        destination[1] = (byte)report.NackCount;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[2..], report.ReportSequence);
        BinaryPrimitives.WriteInt64LittleEndian(destination[4..], report.ReportTimeUs);
        BinaryPrimitives.WriteInt64LittleEndian(destination[12..], report.BaseSequence);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[20..], (ushort)report.ArrivalCount);
        BinaryPrimitives.WriteInt64LittleEndian(destination[22..], report.HighestSequence);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[30..], report.CumulativeLost);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[34..], ToQ16(report.IntervalLossFraction));
        BinaryPrimitives.WriteUInt16LittleEndian(destination[36..], ToQ16(report.LossRate));
        BinaryPrimitives.WriteUInt16LittleEndian(destination[38..], (ushort)Math.Clamp(Math.Round(report.MeanBurstLength * 256), 0, ushort.MaxValue));
        BinaryPrimitives.WriteUInt32LittleEndian(destination[40..], report.JitterUs);
        BinaryPrimitives.WriteInt64LittleEndian(destination[44..], report.EchoSendTimeUs);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[52..], report.EchoHoldUs);
        var offset = HeaderSize;
        var previousTicks = 0L;
        for (var i = 0; i < report.ArrivalCount; i++)
        {
            var arrival = report.ArrivalTimesUs[i];
            short code = NotReceivedCode;
            if (arrival != FeedbackReport.NotReceived)
            {
                var ticks = FloorDiv(arrival - report.ReportTimeUs + TickUs / 2, TickUs);
                var step = ticks - previousTicks;
                if (step is > short.MinValue and <= short.MaxValue)
                {
                    code = (short)step;
                    previousTicks = ticks;
                }
            }
            BinaryPrimitives.WriteInt16LittleEndian(destination[offset..], code);
            offset += 2;
        }
        for (var i = 0; i < report.NackCount; i++)
        {
            var back = report.HighestSequence - report.Nacks[i];
            if (back is < 0 or > ushort.MaxValue)
            {
                return false;
            }
            BinaryPrimitives.WriteUInt16LittleEndian(destination[offset..], (ushort)back);
            offset += 2;
        }
        written = offset;
        return true;
    }

    /// <summary>Fills <paramref name="into"/> from <paramref name="source"/>; false (never an exception) on any malformed input.</summary>
    public static bool TryParse(ReadOnlySpan<byte> source, FeedbackReport into)
    {
        if (source.Length < HeaderSize || source[0] != Version)
        {
            return false;
        }
        int nacks = source[1];
        int arrivals = BinaryPrimitives.ReadUInt16LittleEndian(source[20..]);
        if (nacks > FeedbackReport.MaxNacks || arrivals > FeedbackReport.MaxArrivals
            || source.Length != HeaderSize + 2 * arrivals + 2 * nacks)
        {
            return false;
        }
        var highest = BinaryPrimitives.ReadInt64LittleEndian(source[22..]);
        var baseSequence = BinaryPrimitives.ReadInt64LittleEndian(source[12..]);
        var reportTime = BinaryPrimitives.ReadInt64LittleEndian(source[4..]);
        if (baseSequence < 0 || highest < -1 || baseSequence > long.MaxValue - FeedbackReport.MaxArrivals
            || Math.Abs(reportTime) > long.MaxValue / 4)
        {
            return false;
        }
        into.ReportSequence = BinaryPrimitives.ReadUInt16LittleEndian(source[2..]);
        into.ReportTimeUs = reportTime;
        into.BaseSequence = baseSequence;
        into.ArrivalCount = arrivals;
        into.HighestSequence = highest;
        into.CumulativeLost = BinaryPrimitives.ReadUInt32LittleEndian(source[30..]);
        into.IntervalLossFraction = BinaryPrimitives.ReadUInt16LittleEndian(source[34..]) / 65535.0;
        into.LossRate = BinaryPrimitives.ReadUInt16LittleEndian(source[36..]) / 65535.0;
        into.MeanBurstLength = BinaryPrimitives.ReadUInt16LittleEndian(source[38..]) / 256.0;
        into.JitterUs = BinaryPrimitives.ReadUInt32LittleEndian(source[40..]);
        into.EchoSendTimeUs = BinaryPrimitives.ReadInt64LittleEndian(source[44..]);
        into.EchoHoldUs = BinaryPrimitives.ReadUInt32LittleEndian(source[52..]);
        var offset = HeaderSize;
        var ticks = 0L;
        for (var i = 0; i < arrivals; i++)
        {
            var code = BinaryPrimitives.ReadInt16LittleEndian(source[offset..]);
            offset += 2;
            if (code == NotReceivedCode)
            {
                into.ArrivalTimesUs[i] = FeedbackReport.NotReceived;
            }
            else
            {
                ticks += code;
                into.ArrivalTimesUs[i] = reportTime + ticks * TickUs;
            }
        }
        for (var i = 0; i < nacks; i++)
        {
            into.Nacks[i] = highest - BinaryPrimitives.ReadUInt16LittleEndian(source[offset..]);
            offset += 2;
        }
        into.NackCount = nacks;
        return true;
    }

    private static ushort ToQ16(double fraction) => (ushort)Math.Clamp(Math.Round(fraction * 65535), 0, 65535);

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}
