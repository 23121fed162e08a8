namespace Aqs.Shared.Rings;

/// <summary>Per-frame flags carried in <see cref="SlotHeader.Flags"/>.</summary>
[Flags]
public enum SlotFlags : int
{
    None = 0,
    /// <summary>An intra frame: decoding can start here.</summary>
    Keyframe = 1 << 0,
    /// <summary>The last frame of the stream; the payload may be empty.</summary>
    EndOfStream = 1 << 1,
    /// <summary>The frame starts a new scene.</summary>
    SceneCut = 1 << 2,
    /// <summary>The payload is known to be damaged (lost packets, decoder error).</summary>
    Corrupt = 1 << 3,
    /// <summary>The first frame at a new rung (size, rate or bit depth changed); always a keyframe.</summary>
    RungSwitch = 1 << 4,
    // bits 5..31: room for more
}
