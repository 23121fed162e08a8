using Aqs.Shared.Frames;
using Aqs.Shared.Gpu;
using Aqs.Shared.Quality.Gpu;
using Aqs.Shared.Quality.Vmaf;

namespace Aqs.Shared.Quality;

/// <summary>What <see cref="FrameQualityPass"/> measured for one frame pair.</summary>
/// <param name="Vmaf">The frame's VMAF features (motion2 provisional, see <see cref="VmafMetric.ComputeFeatures"/>);
/// null when the pass has no VMAF model.</param>
public readonly record struct FrameQuality(SsimResult Ssim, PsnrResult Psnr, VmafFeatures? Vmaf);

/// <summary>
/// Everything the display side measures of a frame pair, reading the samples as few times as the metrics allow:
/// SSIM and PSNR come from one pass (PSNR's squared differences fall out of SSIM's 4x4 block sums), then, when
/// a VMAF model is given, the luma plane's VMAF features. Results equal <see cref="SsimMetric"/>,
/// <see cref="PsnrMetric"/> and <see cref="VmafMetric"/> run one by one. Given a GPU, all three run there
/// (<see cref="GpuQualityMetric"/>, equal to the CPU path within 1e-5 relative; <see cref="GpuVmafMetric"/>, equal). Not thread-safe: one object per thread.
/// </summary>
public sealed class FrameQualityPass : IDisposable
{
    private readonly SsimMetric _ssim;
    private readonly PsnrMetric _psnr;
    private readonly IVmafScorer? _vmaf;
    private readonly GpuQualityMetric? _gpu;
    private readonly ulong[] _sse = new ulong[3];

    /// <param name="layout">Both frames' layout.</param>
    /// <param name="vmafModel">Scores VMAF too when given (luma of at least <see cref="VmafMetric.MinimumSize"/>).</param>
    /// <param name="gpu">Runs SSIM and PSNR on this accelerator when given (see <see cref="GpuContext.TryCreate"/>).</param>
    /// <param name="vmafThreads">CPU threads for VMAF without a GPU (1 = the caller's thread, 0 = one per core).</param>
    public FrameQualityPass(FrameLayout layout, VmafModel? vmafModel = null, GpuContext? gpu = null, int vmafThreads = 1)
    {
        _ssim = new SsimMetric(layout);
        _psnr = new PsnrMetric(layout);
        if (gpu is not null)
        {
            _gpu = new GpuQualityMetric(gpu, layout);
        }
        if (vmafModel is not null)
        {
            _vmaf = VmafScorers.Create(vmafModel, layout.Width, layout.Height, layout.Format.BitDepth(), gpu, vmafThreads);
        }
    }

    public FrameLayout Layout => _ssim.Layout;

    /// <summary>Where SSIM and PSNR run, for summaries: the accelerator, or the CPU's vector width.</summary>
    public string Device => _gpu is not null ? _gpu.Device : $"CPU ({_ssim.Level})";

    /// <summary>The streaming VMAF state: final per-frame scores come from its TryTakeScore, the last at Flush.</summary>
    public IVmafScorer? Vmaf => _vmaf;

    public FrameQuality Compute(in PlanarFrame reference, in PlanarFrame distorted)
    {
        SsimResult ssim;
        PsnrResult psnr;
        if (_gpu is not null)
        {
            _gpu.Compute(reference, distorted, out ssim, out psnr);
        }
        else
        {
            ssim = _ssim.Compute(reference, distorted, _sse);
            psnr = _psnr.FromSse(_sse);
        }
        VmafFeatures? features = _vmaf?.ComputeFeatures(reference.Plane0, reference.Stride0, distorted.Plane0, distorted.Stride0);
        return new FrameQuality(ssim, psnr, features);
    }

    public void Dispose()
    {
        _vmaf?.Dispose();
        _gpu?.Dispose();
    }
}
