namespace Aqs.Kernel.Network.Wire;

/// <summary>Why <see cref="PacketHeaderCodec.TryParse"/> refused a datagram.</summary>
public enum HeaderError
{
    /// <summary>Parsed.</summary>
    None,

    /// <summary>Shorter than the header, or longer than the largest datagram.</summary>
    BadLength,

    /// <summary>Version byte is not <see cref="WireFormat.Version"/>.</summary>
    UnsupportedVersion,

    /// <summary>Kind byte names no <see cref="PacketKind"/>.</summary>
    UnknownKind,

    /// <summary>Unknown flag bits or a non-zero reserved byte.</summary>
    ReservedBits,

    /// <summary>Payload length field disagrees with the bytes present, or exceeds 1200.</summary>
    PayloadLength,

    /// <summary>Frame length, block index/count or block offset impossible.</summary>
    FrameGeometry,

    /// <summary>k, m, shard index or shard size impossible, or kind disagrees with the shard index.</summary>
    BlockGeometry,
}
