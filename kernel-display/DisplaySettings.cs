using Aqs.Shared.Kernel;

namespace Aqs.Kernel.Display;

/// <summary>Kernel D's parsed command line.</summary>
public sealed record DisplaySettings
{
    public required KernelContext Context { get; init; }
    public int MetricsEvery { get; init; } = 1;
    /// <summary>Frames later than this (capture to decoded) are shown without measuring them.</summary>
    public TimeSpan MetricsLatencyBudget { get; init; } = TimeSpan.FromMilliseconds(250);
    /// <summary>Score VMAF beside the display loop (when a model file is found).</summary>
    public bool Vmaf { get; init; } = true;
    /// <summary>libvmaf JSON model; null finds the default (see VmafModel.DefaultPath).</summary>
    public string? VmafModelPath { get; init; }
    /// <summary>Most of one core the VMAF worker may use: a quarter on 2 cores, a whole core from 8 cores up.</summary>
    public double VmafCoreShare { get; init; } = DefaultVmafCoreShare;

    public static double DefaultVmafCoreShare => Math.Min(1.0, Environment.ProcessorCount / 8.0);
    /// <summary>Measure on a GPU when one is present (CUDA, then OpenCL); false keeps the CPU.</summary>
    public bool Gpu { get; init; } = true;
}
