namespace Aqs.Shared.Frames;

/// <summary>
/// Picture type of an encoded or decoded frame: the one representation used in rings, contracts and the
/// media wrappers. Values are on the wire and in ring headers: never renumber.
/// </summary>
public enum PictureType : byte
{
    /// <summary>The codec did not say.</summary>
    Unknown = 0,
    /// <summary>Intra frame: decodable alone.</summary>
    I = 1,
    /// <summary>Predicted from earlier frames.</summary>
    P = 2,
    /// <summary>Bi-directionally predicted.</summary>
    B = 3,
}
