namespace Aqs.Engine.Rate;

/// <summary>
/// How media bytes become wire bytes in the network kernel: a 32-byte frame descriptor, 1200-byte shards each
/// with a 44-byte header, a 16-byte tag and 28 bytes of UDP/IP, and FEC parity on top. One place for the factor
/// the budget and the bitrate target both divide by.
/// </summary>
public static class WireOverhead
{
    public const int ShardBytes = 1200;
    public const int PerDatagramBytes = 44 + 16 + 28;
    public const int DescriptorBytes = 32;

    /// <summary>Media share of a full datagram's wire bytes.</summary>
    public const double PayloadShare = (double)ShardBytes / (ShardBytes + PerDatagramBytes);

    public static double WireBytes(int mediaBytes, double fecOverhead) =>
        (mediaBytes + DescriptorBytes) / PayloadShare * (1 + Math.Max(0, fecOverhead));

    public static double MediaBytes(double wireBytes, double fecOverhead) =>
        Math.Max(0, wireBytes * PayloadShare / (1 + Math.Max(0, fecOverhead)) - DescriptorBytes);

    public static double MediaBps(double wireBps, double fecOverhead) =>
        Math.Max(0, wireBps * PayloadShare / (1 + Math.Max(0, fecOverhead)));
}
