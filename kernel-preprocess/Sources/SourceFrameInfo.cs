namespace Aqs.Kernel.Preprocess.Sources;

/// <summary>What a source knows about the frame it just delivered.</summary>
/// <param name="FrameIndex">0-based number of the frame in delivery order.</param>
/// <param name="PtsNs">Presentation time from the source's own clock, in ns from its first frame; the pacer waits on it.</param>
/// <param name="SceneCut">The content changed completely at this frame (known for synthetic input, and at a loop restart).</param>
/// <param name="Keyframe">A hint that an encoder should start a new GOP here (first frame, scene cut, loop restart).</param>
public readonly record struct SourceFrameInfo(long FrameIndex, long PtsNs, bool SceneCut, bool Keyframe);
