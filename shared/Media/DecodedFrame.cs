using Aqs.Shared.Frames;

namespace Aqs.Shared.Media;

/// <summary>One decoded picture; <see cref="View"/> points into the decoder's buffers and is valid until its next call.</summary>
public readonly ref struct DecodedFrame
{
    public PlanarFrame View { get; }
    /// <summary>The timestamp given with the packet (decoder), or the stream's own (file reader), in its time base.</summary>
    public long Pts { get; }
    /// <summary>Presentation time in nanoseconds from the stream start when the time base is known (file reader); else -1.</summary>
    public long PtsNs { get; }
    public bool IsKeyframe { get; }
    public PictureType FrameType { get; }
    /// <summary>The colour description the bitstream carried (unspecified fields as FFmpeg reports them).</summary>
    public ColorDescription Color { get; }

    public DecodedFrame(PlanarFrame view, long pts, long ptsNs, bool isKeyframe, PictureType frameType, ColorDescription color = default)
    {
        Color = color;
        View = view;
        Pts = pts;
        PtsNs = ptsNs;
        IsKeyframe = isKeyframe;
        FrameType = frameType;
    }
}
