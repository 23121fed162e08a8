namespace Aqs.Kernel.Network.Egress.Rtcp;

/// <summary>
/// One reception report block (RFC 3550 §6.4.1), as a receiver sends it about one source in an RR or SR.
/// <code>
///  0                   1                   2                   3
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                 SSRC_n (source identifier)                    |
/// | fraction lost |       cumulative number of packets lost       |
/// |           extended highest sequence number received           |
/// |                      interarrival jitter                      |
/// |                         last SR (LSR)                         |
/// |                   delay since last SR (DLSR)                  |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
/// <param name="FractionLost">Packets lost since the previous report, over 256.</param>
/// <param name="CumulativeLost">Signed 24-bit total (duplicates can make it negative).</param>
/// <param name="Jitter">In RTP timestamp units (90 kHz for video).</param>
/// <param name="LastSr">Middle 32 bits of the NTP time of the last SR received, 0 when none.</param>
/// <param name="DelaySinceLastSr">In 1/65536 s.</param>
public readonly record struct RtcpReportBlock(uint ReporterSsrc, uint SourceSsrc, byte FractionLost, int CumulativeLost,
    uint ExtendedHighestSequence, uint Jitter, uint LastSr, uint DelaySinceLastSr)
{
    public const int Length = 24;

    public double LossFraction => FractionLost / 256.0;
}
