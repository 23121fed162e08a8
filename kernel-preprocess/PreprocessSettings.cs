using Aqs.Kernel.Preprocess.Pacing;
using Aqs.Shared.Compression;
using Aqs.Shared.Kernel;

namespace Aqs.Kernel.Preprocess;

/// <summary>Kernel B's parsed command line.</summary>
public sealed record PreprocessSettings
{
    public required KernelContext Context { get; init; }
    public string Input { get; init; } = "synthetic";
    public string? Size { get; init; }
    public string? Fps { get; init; }
    public string? PixelFormat { get; init; }
    public long? FrameLimit { get; init; }
    public bool Loop { get; init; }
    public PacingMode Pacing { get; init; } = PacingMode.Realtime;
    public double Speed { get; init; } = 1.0;
    public ulong? Seed { get; init; }
    public string? Script { get; init; }
    public long StartFrame { get; init; }
    public int RefSlots { get; init; } = 64;
    public int RawSlots { get; init; } = 8;
    /// <summary>--ref-compression: how reference frames are stored in the ref ring (lossless).</summary>
    public RefCompression RefCompression { get; init; } = RefCompression.None;
}
