using Aqs.Engine.Config;
using Aqs.Shared.Kernel;

namespace Aqs.Kernel.Encode;

/// <summary>Kernel C's parsed command line.</summary>
public sealed record EncodeSettings
{
    public required KernelContext Context { get; init; }
    public string Codec { get; init; } = "libx264";
    /// <summary>The engine's settings (preset file and flags); null fields are the mode's defaults.</summary>
    public AqsConfig Aqs { get; init; } = AqsConfig.Empty;
    /// <summary>Encoder speed preset; null lets the mode choose (and the engine go lighter under load).</summary>
    public string? Preset { get; init; }
    public int Threads { get; init; }
    /// <summary>Frames between keyframes with AQS off (0 = codec default); with AQS on, intra refresh replaces them.</summary>
    public int KeyframeInterval { get; init; } = 120;
    public int EncSlotSize { get; init; } = 4 << 20;
    public int EncSlots { get; init; } = 32;
    /// <summary>Where each decision goes as one JSON line, or null.</summary>
    public string? DecisionLog { get; init; }
    /// <summary>Run content analysis on a CUDA/OpenCL GPU when one is present.</summary>
    public bool Gpu { get; init; } = true;
}
