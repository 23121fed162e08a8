namespace Aqs.Kernel.Network.Egress;

/// <summary>How an egress carries the stream to a standard receiver.</summary>
public enum EgressKind
{
    /// <summary>RTP (RFC 6184 / RFC 7798) on our own UDP sockets, RTCP sender reports out and receiver reports in, an SDP file for the receiver.</summary>
    Rtp,

    /// <summary>The same RTP, served by our RTSP server: players pull it by URL and their receiver reports reach us.</summary>
    Rtsp,

    /// <summary>MPEG-TS through a libavformat protocol: srt:// (caller or listener, latency, passphrase), rist://, udp://.</summary>
    MpegTs,
}
