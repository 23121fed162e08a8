using Aqs.Shared.Frames;

namespace Aqs.Shared.Media;

/// <summary>What the encoder reports about one output frame.</summary>
/// <param name="Bytes">Compressed size.</param>
/// <param name="FrameType">I, P or B (Unknown when the encoder does not say).</param>
/// <param name="Qp">Average quantiser (AV_PKT_DATA_QUALITY_STATS quality / FF_QP2LAMBDA); -1 when not reported.</param>
/// <param name="EncodeMs">Wall time from Send of this frame to its packet coming out.</param>
public readonly record struct FrameStats(int Bytes, PictureType FrameType, double Qp, double EncodeMs);
