namespace Aqs.Shared.Rings;

/// <summary>
/// Byte layout of a ring file. All integers little-endian, offsets from the start of the file.
/// <code>
///  0                                                             4096
///  +--------------------------- header page ------------------------+
///  | identity (written once, magic last)                    0..127  |
///  |   0 Magic u64 "AQSRING\0"    8 Version i32   12 SlotCount i32  |
///  |  16 SlotSize i32 (stride)   20 SlotCapacity i32                |
///  |  24 MaxConsumers i32        28 HeaderLength i32                |
///  |  32 StaleAfterNs i64        40 CreatedNs i64                   |
///  | 128 WriteCursor i64        (producer writes; own 128 B)        |
///  | 256 ProducerPid i32, 264 ProducerHeartbeatNs i64   (own 128 B) |
///  | 384 ProducerWaiting i32    (both sides; own 128 B)             |
///  | 512 Closed i32, 516 ConsumersGeneration i32        (own 128 B) |
///  | 1024 + 256*i: consumer i                                       |
///  |   +0   Cursor i64, +8 HeartbeatNs i64   (consumer writes)      |
///  |   +128 State i32, +132 Policy i32, +136 Pid i32,               |
///  |        +140 Waiting i32, +144 Epoch i64, +152 NameLength i32,  |
///  |        +160 Name (32 bytes ASCII)                              |
///  +----------------------------------------------------------------+
///  | slot 0: SlotHeader (256 B) | payload (SlotCapacity B) | pad    |  SlotSize bytes,
///  | slot 1: ...                                                    |  a multiple of 4096
///  | slot SlotCount-1                                               |
///  +----------------------------------------------------------------+
/// </code>
/// Counters that one side writes often sit 128 bytes apart (two cache lines, so the adjacent-line
/// prefetcher does not couple them), as Agrona's RingBufferDescriptor spaces them.
/// Sequences start at 0. WriteCursor = number of published frames (next sequence to publish);
/// a consumer's Cursor = next sequence it will read (everything before it is released).
/// </summary>
public static class RingDescriptor
{
    /// <summary>"AQSRING\0" read as a little-endian u64.</summary>
    public const ulong Magic = 0x00474E4952535141UL;
    public const int Version = 1;

    public const int PageSize = 4096;
    public const int HeaderLength = PageSize;
    public const int CacheLinePair = 128;
    public const int SlotHeaderLength = 256;
    public const int MaxSlotCapacity = 1 << 30;
    public const long MaxRingBytes = 16L << 30;

    // identity
    public const int MagicOffset = 0;
    public const int VersionOffset = 8;
    public const int SlotCountOffset = 12;
    public const int SlotSizeOffset = 16;
    public const int SlotCapacityOffset = 20;
    public const int MaxConsumersOffset = 24;
    public const int HeaderLengthOffset = 28;
    public const int StaleAfterNsOffset = 32;
    public const int CreatedNsOffset = 40;

    // producer-side words
    public const int WriteCursorOffset = 128;
    public const int ProducerPidOffset = 256;
    public const int ProducerHeartbeatOffset = 264;
    public const int ProducerWaitingOffset = 384;
    public const int ClosedOffset = 512;
    public const int ConsumersGenerationOffset = 516;

    // consumer blocks
    public const int ConsumersOffset = 1024;
    public const int ConsumerBlockLength = 256;
    public const int MaxConsumerLimit = (HeaderLength - ConsumersOffset) / ConsumerBlockLength;

    public const int ConsumerCursorOffset = 0;
    public const int ConsumerHeartbeatOffset = 8;
    public const int ConsumerStateOffset = 128;
    public const int ConsumerPolicyOffset = 132;
    public const int ConsumerPidOffset = 136;
    public const int ConsumerWaitingOffset = 140;
    public const int ConsumerEpochOffset = 144;
    public const int ConsumerNameLengthOffset = 152;
    public const int ConsumerNameOffset = 160;
    public const int MaxConsumerNameLength = 32;

    /// <summary>Bytes a slot takes: its header plus the payload, rounded up to whole pages.</summary>
    public static int SlotSizeFor(int slotCapacity) =>
        checked((int)(((long)SlotHeaderLength + slotCapacity + PageSize - 1) / PageSize * PageSize));

    public static long FileLength(int slotCount, int slotSize) => HeaderLength + (long)slotCount * slotSize;

    public static int ConsumerOffset(int index) => ConsumersOffset + index * ConsumerBlockLength;

    public static long SlotOffset(int index, int slotSize) => HeaderLength + (long)index * slotSize;
}

/// <summary>Life of a consumer block in the header page.</summary>
internal enum ConsumerState
{
    /// <summary>Never used; anyone may claim it.</summary>
    Free = 0,

    /// <summary>Owned by a consumer process; a reliable one gates the producer.</summary>
    Active = 1,

    /// <summary>Left (clean dispose) or detached as stale; keeps its name and cursor so the same name can resume.</summary>
    Detached = 2,

    /// <summary>Being claimed by an attaching consumer; gates nobody yet.</summary>
    Claiming = 3,
}
