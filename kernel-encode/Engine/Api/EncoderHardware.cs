using ILGPU.Runtime;

namespace Aqs.Engine;

/// <summary>The machine and encoder the engine drives (the seed's <c>EncoderHardware</c>), as the host found them.</summary>
public sealed record EncoderHardware
{
    /// <summary>FFmpeg encoder name ("libx264").</summary>
    public required string Codec { get; init; }
    /// <summary>Bit depths the encoder takes here.</summary>
    public required IReadOnlyList<int> CodecDepths { get; init; }
    /// <summary>Whether the encoder changes bitrate without a re-open; otherwise bitrate moves ride on rung switches.</summary>
    public bool LiveBitrate { get; init; } = true;
    public int CpuCores { get; init; } = Environment.ProcessorCount;
    /// <summary>Where content analysis runs when it should run on a GPU (CUDA/OpenCL from the host, or ILGPU's CPU accelerator in tests).</summary>
    public Accelerator? Accelerator { get; init; }
    /// <summary>An NVIDIA GPU answered NVML.</summary>
    public bool NvidiaGpu { get; init; }
    /// <summary>The CPU is Intel's and has AVX-512.</summary>
    public bool IntelAvx512 { get; init; }
}
