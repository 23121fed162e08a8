using Aqs.Shared.Gpu;
using Aqs.Shared.Quality.Gpu;
using Aqs.Shared.Quality.Vmaf;

namespace Aqs.Shared.Quality;

/// <summary>Picks where VMAF runs: on the accelerator when one is given, else on CPU threads.</summary>
public static class VmafScorers
{
    /// <param name="gpu">An accelerator from <see cref="GpuContext.TryCreate"/>, or null for the CPU.</param>
    /// <param name="threads">CPU threads when there is no accelerator (1 = the caller's thread, 0 = one per core).</param>
    public static IVmafScorer Create(VmafModel model, int width, int height, int bitDepth, GpuContext? gpu = null, int threads = 1) =>
        gpu is not null
            ? new GpuVmafMetric(gpu, model, width, height, bitDepth)
            : new VmafMetric(model, width, height, bitDepth, threads);
}
