namespace Aqs.Kernel.Network.Wire;

/// <summary>A decoded datagram header (layout in <see cref="WireFormat"/>).</summary>
public readonly record struct PacketHeader
{
    public PacketKind Kind { get; init; }
    public PacketFlags Flags { get; init; }
    public byte StreamId { get; init; }
    public uint SessionId { get; init; }

    /// <summary>Transport-wide sequence, one per datagram sent in the session (assigned by the sealer).</summary>
    public uint Sequence { get; init; }

    /// <summary>Sender's monotonic clock at sending, microseconds (assigned by the sealer).</summary>
    public ulong SendTimeUs { get; init; }

    public uint FrameId { get; init; }
    public int FrameLength { get; init; }
    public int BlockOffset { get; init; }
    public int BlockIndex { get; init; }
    public int BlockCount { get; init; }

    /// <summary>0..k-1 data, k..k+m-1 parity.</summary>
    public int ShardIndex { get; init; }

    public int DataShards { get; init; }
    public int ParityShards { get; init; }
    public int ShardSize { get; init; }
    public int PayloadLength { get; init; }

    public bool IsKeyframe => (Flags & PacketFlags.Keyframe) != 0;

    public bool IsShard => Kind is PacketKind.Media or PacketKind.Parity;

    public bool IsLastBlock => BlockIndex == BlockCount - 1;

    /// <summary>Bytes of the frame this shard's block spans (see <see cref="WireFormat"/>).</summary>
    public int BlockLength => IsLastBlock ? FrameLength - BlockOffset : DataShards * ShardSize;
}
