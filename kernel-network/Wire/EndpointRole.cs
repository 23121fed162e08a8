namespace Aqs.Kernel.Network.Wire;

/// <summary>
/// Which side of a session seals with this sealer. Part of the AES-GCM nonce, so the two directions of one session
/// key never share a nonce even when their sequences coincide.
/// </summary>
public enum EndpointRole : byte
{
    /// <summary>Sends media and parity, receives feedback.</summary>
    Sender = 1,

    /// <summary>Receives media, sends feedback, NACKs and keyframe requests.</summary>
    Receiver = 2,
}
