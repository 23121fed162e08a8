namespace Aqs.Kernel.Network.Wire;

/// <summary>
/// Byte layout of an AQS datagram, big-endian. The header is fixed-size for every kind; frame and block fields
/// are zero for kinds that carry no shard.
/// <code>
///  0       1       2       3       4               8
///  +-------+-------+-------+-------+---------------+
///  |version| kind  | flags |stream |  session id   |
///  +-------+-------+-------+-------+---------------+
///  8               12                              20
///  | transport seq |      send time (us, u64)      |
///  +---------------+-------------------------------+
///  20              24              28              32
///  |   frame id    | frame length  | block offset  |
///  +-------+-------+-------+-------+-------+-------+
///  32      34      36      37      38      39      40
///  |blk idx|blk cnt| shard |   k   |   m   | rsvd  |
///  +-------+-------+-------+-------+-------+-------+
///  40      42      44
///  |shardsz|paylen | payload (paylen bytes, &lt;= 1200) | AES-GCM tag (16) |
/// </code>
/// A block is k data shards then m parity shards of shard-size bytes. Every block but the last of a frame spans
/// exactly k x shard-size bytes of the frame from its block offset; the last ends at the frame length, its last
/// data shard is sent short and counts as zero-padded to shard-size for the code.
/// </summary>
public static class WireFormat
{
    public const byte Version = 2;
    public const int HeaderLength = 44;
    public const int MaxPayload = 1200;
    public const int TagLength = 16;
    public const int MaxDatagram = HeaderLength + MaxPayload + TagLength;

    /// <summary>Largest frame the header may describe (bounded so a hostile length cannot size anything).</summary>
    public const int MaxFrameLength = 64 << 20;

    internal const int VersionOffset = 0;
    internal const int KindOffset = 1;
    internal const int FlagsOffset = 2;
    internal const int StreamOffset = 3;
    internal const int SessionOffset = 4;
    internal const int SequenceOffset = 8;
    internal const int SendTimeOffset = 12;
    internal const int FrameIdOffset = 20;
    internal const int FrameLengthOffset = 24;
    internal const int BlockOffsetOffset = 28;
    internal const int BlockIndexOffset = 32;
    internal const int BlockCountOffset = 34;
    internal const int ShardIndexOffset = 36;
    internal const int DataShardsOffset = 37;
    internal const int ParityShardsOffset = 38;
    internal const int ReservedOffset = 39;
    internal const int ShardSizeOffset = 40;
    internal const int PayloadLengthOffset = 42;
}
