using Aqs.Shared.Kernel;

namespace Aqs.Kernel.Encode;

/// <summary>Kernel C's parsed command line.</summary>
public sealed record EncodeSettings
{
    public required KernelContext Context { get; init; }
    public string Codec { get; init; } = "libx264";
    public long BitrateBps { get; init; } = 4_000_000;
    public string Preset { get; init; } = "veryfast";
    public int Threads { get; init; }
    public int KeyframeInterval { get; init; } = 120;
    public int EncSlotSize { get; init; } = 4 << 20;
    public int EncSlots { get; init; } = 32;
}
