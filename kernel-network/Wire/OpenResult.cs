namespace Aqs.Kernel.Network.Wire;

/// <summary>What <see cref="DatagramSealer.Open"/> decided about a received datagram.</summary>
public enum OpenResult
{
    /// <summary>Authentic, fresh, well-formed: header and (decrypted) payload may be used.</summary>
    Accepted,

    /// <summary>Header malformed or lengths impossible.</summary>
    Malformed,

    /// <summary>A version this build does not speak.</summary>
    UnsupportedVersion,

    /// <summary>Session id is not ours: a stranger's or a stale session's packet.</summary>
    WrongSession,

    /// <summary>Transport sequence already accepted, or older than the replay window.</summary>
    Replayed,

    /// <summary>AES-GCM tag does not verify: forged, corrupted, or sealed with another key.</summary>
    BadTag,

    /// <summary>Not encrypted although this endpoint requires encryption.</summary>
    NotEncrypted,
}
