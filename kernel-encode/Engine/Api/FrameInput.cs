using Aqs.Engine.Analysis;

namespace Aqs.Engine;

/// <summary>One source frame as the engine sees it (the seed's <c>FrameBuffer</c>): its luma, identity and times.</summary>
public readonly ref struct FrameInput
{
    public FrameInput(LumaPlane luma, long frameId, long ptsNs, long nowNs, double sourceFps, bool sceneCutHint = false)
    {
        Luma = luma;
        FrameId = frameId;
        PtsNs = ptsNs;
        NowNs = nowNs;
        SourceFps = sourceFps;
        SceneCutHint = sceneCutHint;
    }

    public LumaPlane Luma { get; }
    public long FrameId { get; }
    /// <summary>Presentation time from the stream start, ns.</summary>
    public long PtsNs { get; }
    /// <summary>The host's monotonic clock now, ns (the engine reads no clock itself).</summary>
    public long NowNs { get; }
    public double SourceFps { get; }
    /// <summary>The source itself marked a cut (a synthetic script, a container's scene flag).</summary>
    public bool SceneCutHint { get; }
}
