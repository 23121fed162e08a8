using Aqs.Kernel.Display.Presentation;
using Aqs.Kernel.Display.References;
using Aqs.Kernel.Display.Rendering;
using Aqs.Shared.Kernel;

namespace Aqs.Kernel.Display;

/// <summary>Kernel D's parsed command line.</summary>
public sealed record DisplaySettings
{
    public required KernelContext Context { get; init; }
    /// <summary>The display clock: pictures are presented and the on-screen age sampled at this rate.</summary>
    public double RefreshHz { get; init; } = 60;
    public JitterBufferMode JitterBuffer { get; init; } = JitterBufferMode.Adaptive;
    /// <summary>The buffer in <see cref="JitterBufferMode.Fixed"/> mode.</summary>
    public TimeSpan JitterFixed { get; init; }
    /// <summary>Share of transit excesses the adaptive buffer absorbs without a freeze.</summary>
    public double JitterQuantile { get; init; } = 0.99;
    /// <summary>The adaptive buffer's ceiling.</summary>
    public TimeSpan JitterMax { get; init; } = TimeSpan.FromMilliseconds(150);
    /// <summary>Most of one core the quality worker (SSIM, PSNR, scaling) may use; over it, presented pictures are sampled.</summary>
    public double MetricsCoreShare { get; init; } = DefaultMetricsCoreShare;

    public static double DefaultMetricsCoreShare => Math.Min(1.0, Environment.ProcessorCount / 4.0);
    /// <summary>Source frames are kept this long for measurement (and at most <see cref="ReferenceMemoryBytes"/>).</summary>
    public TimeSpan ReferenceKeep { get; init; } = TimeSpan.FromSeconds(10);
    public long ReferenceMemoryBytes { get; init; } = ReferenceStore.DefaultMemoryBudget;
    /// <summary>Measure against the ref ring (false on a receiver host without the source).</summary>
    public bool Reference { get; init; } = true;
    /// <summary>Score VMAF beside the display loop (when a model file is found).</summary>
    public bool Vmaf { get; init; } = true;
    /// <summary>libvmaf JSON model; null finds the default (see VmafModel.DefaultPath).</summary>
    public string? VmafModelPath { get; init; }
    /// <summary>Most of one core the VMAF worker may use: a quarter on 2 cores, a whole core from 8 cores up.</summary>
    public double VmafCoreShare { get; init; } = DefaultVmafCoreShare;

    public static double DefaultVmafCoreShare => Math.Min(1.0, Environment.ProcessorCount / 8.0);
    /// <summary>Measure on a GPU when one is present (CUDA, then OpenCL); false keeps the CPU.</summary>
    public bool Gpu { get; init; } = true;
    /// <summary>Per-frame JSON lines (presented and measured pictures), or null.</summary>
    public string? FramesJsonl { get; init; }
    public RenderSettings Render { get; init; } = RenderSettings.Off;
}
