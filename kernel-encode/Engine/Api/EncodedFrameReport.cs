namespace Aqs.Engine;

/// <summary>What the encoder made of a frame the engine let through.</summary>
/// <param name="FrameId">The source frame's id.</param>
/// <param name="Bytes">Encoded size (media only).</param>
/// <param name="EncodeMs">Wall time the encoder took for it.</param>
/// <param name="Keyframe">An intra frame.</param>
/// <param name="TimestampNs">When it was handed to the network kernel.</param>
public readonly record struct EncodedFrameReport(long FrameId, int Bytes, double EncodeMs, bool Keyframe, long TimestampNs);
