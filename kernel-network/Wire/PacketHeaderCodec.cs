using System.Buffers.Binary;

namespace Aqs.Kernel.Network.Wire;

/// <summary>Writes and strictly checks <see cref="PacketHeader"/>s. Never throws on received bytes.</summary>
public static class PacketHeaderCodec
{
    /// <summary>Writes the 44-byte header (version included) at the start of <paramref name="destination"/>.</summary>
    public static void Write(in PacketHeader h, Span<byte> destination)
    {
        if (destination.Length < WireFormat.HeaderLength)
        {
            throw new ArgumentException($"header needs {WireFormat.HeaderLength} bytes: length={destination.Length}", nameof(destination));
        }
        destination[WireFormat.VersionOffset] = WireFormat.Version;
        destination[WireFormat.KindOffset] = (byte)h.Kind;
        destination[WireFormat.FlagsOffset] = (byte)h.Flags;
        destination[WireFormat.StreamOffset] = h.StreamId;
        BinaryPrimitives.WriteUInt32BigEndian(destination[WireFormat.SessionOffset..], h.SessionId);
        BinaryPrimitives.WriteUInt32BigEndian(destination[WireFormat.SequenceOffset..], h.Sequence);
        BinaryPrimitives.WriteUInt64BigEndian(destination[WireFormat.SendTimeOffset..], h.SendTimeUs);
        BinaryPrimitives.WriteUInt32BigEndian(destination[WireFormat.FrameIdOffset..], h.FrameId);
        BinaryPrimitives.WriteUInt32BigEndian(destination[WireFormat.FrameLengthOffset..], (uint)h.FrameLength);
        BinaryPrimitives.WriteUInt32BigEndian(destination[WireFormat.BlockOffsetOffset..], (uint)h.BlockOffset);
        BinaryPrimitives.WriteUInt16BigEndian(destination[WireFormat.BlockIndexOffset..], (ushort)h.BlockIndex);
        BinaryPrimitives.WriteUInt16BigEndian(destination[WireFormat.BlockCountOffset..], (ushort)h.BlockCount);
        destination[WireFormat.ShardIndexOffset] = (byte)h.ShardIndex;
        destination[WireFormat.DataShardsOffset] = (byte)h.DataShards;
        destination[WireFormat.ParityShardsOffset] = (byte)h.ParityShards;
        destination[WireFormat.ReservedOffset] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(destination[WireFormat.ShardSizeOffset..], (ushort)h.ShardSize);
        BinaryPrimitives.WriteUInt16BigEndian(destination[WireFormat.PayloadLengthOffset..], (ushort)h.PayloadLength);
    }

    /// <summary>
    /// Parses <paramref name="datagram"/> (header + payload, no tag) and checks every field against the others and
    /// against the byte count. On error <paramref name="header"/> is default and nothing else should be read.
    /// </summary>
    public static HeaderError TryParse(ReadOnlySpan<byte> datagram, out PacketHeader header)
    {
        header = default;
        if (datagram.Length < WireFormat.HeaderLength || datagram.Length > WireFormat.HeaderLength + WireFormat.MaxPayload)
        {
            return HeaderError.BadLength;
        }
        if (datagram[WireFormat.VersionOffset] != WireFormat.Version)
        {
            return HeaderError.UnsupportedVersion;
        }
        var kind = (PacketKind)datagram[WireFormat.KindOffset];
        if (kind is < PacketKind.Media or > PacketKind.Padding)
        {
            return HeaderError.UnknownKind;
        }
        var flags = (PacketFlags)datagram[WireFormat.FlagsOffset];
        if ((flags & ~PacketFlags.All) != 0 || datagram[WireFormat.ReservedOffset] != 0)
        {
            return HeaderError.ReservedBits;
        }
        var h = new PacketHeader
        {
            Kind = kind,
            Flags = flags,
            StreamId = datagram[WireFormat.StreamOffset],
            SessionId = BinaryPrimitives.ReadUInt32BigEndian(datagram[WireFormat.SessionOffset..]),
            Sequence = BinaryPrimitives.ReadUInt32BigEndian(datagram[WireFormat.SequenceOffset..]),
            SendTimeUs = BinaryPrimitives.ReadUInt64BigEndian(datagram[WireFormat.SendTimeOffset..]),
            FrameId = BinaryPrimitives.ReadUInt32BigEndian(datagram[WireFormat.FrameIdOffset..]),
            FrameLength = ClampLength(BinaryPrimitives.ReadUInt32BigEndian(datagram[WireFormat.FrameLengthOffset..])),
            BlockOffset = ClampLength(BinaryPrimitives.ReadUInt32BigEndian(datagram[WireFormat.BlockOffsetOffset..])),
            BlockIndex = BinaryPrimitives.ReadUInt16BigEndian(datagram[WireFormat.BlockIndexOffset..]),
            BlockCount = BinaryPrimitives.ReadUInt16BigEndian(datagram[WireFormat.BlockCountOffset..]),
            ShardIndex = datagram[WireFormat.ShardIndexOffset],
            DataShards = datagram[WireFormat.DataShardsOffset],
            ParityShards = datagram[WireFormat.ParityShardsOffset],
            ShardSize = BinaryPrimitives.ReadUInt16BigEndian(datagram[WireFormat.ShardSizeOffset..]),
            PayloadLength = BinaryPrimitives.ReadUInt16BigEndian(datagram[WireFormat.PayloadLengthOffset..]),
        };
        if (h.PayloadLength > WireFormat.MaxPayload || WireFormat.HeaderLength + h.PayloadLength != datagram.Length)
        {
            return HeaderError.PayloadLength;
        }
        var error = h.IsShard ? CheckShard(h) : CheckControl(h);
        if (error == HeaderError.None)
        {
            header = h;
        }
        return error;
    }

    private static HeaderError CheckShard(in PacketHeader h)
    {
        if (h.FrameLength < 1 || h.FrameLength > WireFormat.MaxFrameLength || h.BlockCount < 1 || h.BlockIndex >= h.BlockCount ||
            h.BlockOffset >= h.FrameLength)
        {
            return HeaderError.FrameGeometry;
        }
        if (h.DataShards < 1 || h.DataShards + h.ParityShards > 255 || h.ShardIndex >= h.DataShards + h.ParityShards ||
            h.ShardSize < 1 || h.ShardSize > WireFormat.MaxPayload || (h.Kind == PacketKind.Media) != (h.ShardIndex < h.DataShards))
        {
            return HeaderError.BlockGeometry;
        }
        // The block must fit the frame, and every data shard of it must hold at least one byte.
        long span = (long)h.DataShards * h.ShardSize;
        long blockLength = h.IsLastBlock ? h.FrameLength - h.BlockOffset : span;
        if (h.BlockOffset + blockLength > h.FrameLength || blockLength > span || blockLength <= span - h.ShardSize)
        {
            return HeaderError.FrameGeometry;
        }
        long expected = h.Kind == PacketKind.Parity
            ? h.ShardSize
            : Math.Min(h.ShardSize, blockLength - (long)h.ShardIndex * h.ShardSize);
        return h.PayloadLength == expected ? HeaderError.None : HeaderError.PayloadLength;
    }

    private static HeaderError CheckControl(in PacketHeader h) =>
        h.FrameLength == 0 && h.BlockOffset == 0 && h.BlockIndex == 0 && h.BlockCount == 0 && h.ShardIndex == 0 &&
        h.DataShards == 0 && h.ParityShards == 0 && h.ShardSize == 0
            ? HeaderError.None
            : HeaderError.BlockGeometry;

    // A u32 beyond int range is refused by the geometry checks; clamping keeps the arithmetic in range.
    private static int ClampLength(uint value) => value > int.MaxValue ? int.MaxValue : (int)value;
}
