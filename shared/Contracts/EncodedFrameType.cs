namespace Aqs.Shared.Contracts;

/// <summary>Picture type of an encoded frame. Values are on the wire: never renumber.</summary>
public enum EncodedFrameType : byte
{
    /// <summary>The encoder did not say.</summary>
    Unknown = 0,
    /// <summary>Intra frame: decodable alone.</summary>
    I = 1,
    /// <summary>Predicted from earlier frames.</summary>
    P = 2,
    /// <summary>Bi-directionally predicted.</summary>
    B = 3,
}
