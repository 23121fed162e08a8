namespace Aqs.Kernel.Preprocess.Sources;

/// <summary>How much of a source to play: the same for every kind of input (see <see cref="LoopingSource"/>).</summary>
/// <param name="Loop">Start again at <paramref name="StartFrame"/> after the last frame; a broken tail is skipped and counted, not fatal.</param>
/// <param name="StartFrame">Frames to pass over before the first delivered one (each pass, with <paramref name="Loop"/>).</param>
/// <param name="FrameLimit">Stop after this many delivered frames in all; 0 = no limit.</param>
public sealed record SourceOptions(bool Loop = false, long StartFrame = 0, long FrameLimit = 0)
{
    public bool IsDefault => !Loop && StartFrame == 0 && FrameLimit == 0;

    public void Validate()
    {
        if (StartFrame < 0)
        {
            throw new SourceException($"start frame must be 0 or more: {StartFrame}");
        }
        if (FrameLimit < 0)
        {
            throw new SourceException($"frame limit must be 0 (none) or more: {FrameLimit}");
        }
    }
}
