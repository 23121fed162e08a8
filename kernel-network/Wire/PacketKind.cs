namespace Aqs.Kernel.Network.Wire;

/// <summary>What a datagram carries.</summary>
public enum PacketKind : byte
{
    /// <summary>A data shard of an encoded frame's FEC block.</summary>
    Media = 1,

    /// <summary>A Reed-Solomon parity shard of an FEC block.</summary>
    Parity = 2,

    /// <summary>Receiver report (arrivals, loss, jitter); payload defined by the feedback code.</summary>
    Feedback = 3,

    /// <summary>Request to retransmit packets; payload defined by the feedback code.</summary>
    Nack = 4,

    /// <summary>Request for a keyframe after a frame could not be recovered.</summary>
    KeyframeRequest = 5,

    /// <summary>
    /// Padding of a bandwidth probe cluster: sealed and sequenced like any datagram (so it is authenticated, replay
    /// checked and reported in feedback), control geometry, payload of zeros that the receiver counts and drops.
    /// </summary>
    Padding = 6,
}
