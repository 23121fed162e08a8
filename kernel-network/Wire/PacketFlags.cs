namespace Aqs.Kernel.Network.Wire;

/// <summary>Header flag bits; any other bit set makes the header malformed.</summary>
[Flags]
public enum PacketFlags : byte
{
    None = 0,

    /// <summary>The frame is a keyframe (decodable on its own).</summary>
    Keyframe = 1,

    /// <summary>The payload is AES-GCM ciphertext, not only authenticated.</summary>
    Encrypted = 2,

    /// <summary>A resend of an earlier packet (new transport sequence, same frame/shard).</summary>
    Retransmission = 4,

    All = Keyframe | Encrypted | Retransmission,
}
