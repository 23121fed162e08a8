using Aqs.Shared.Frames;
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
/// <see cref="PsnrMetric"/> and <see cref="VmafMetric"/> run one by one. Not thread-safe: one object per thread.
/// </summary>
public sealed class FrameQualityPass : IDisposable
{
    private readonly SsimMetric _ssim;
    private readonly PsnrMetric _psnr;
    private readonly VmafMetric? _vmaf;
    private readonly ulong[] _sse = new ulong[3];

    /// <param name="layout">Both frames' layout.</param>
    /// <param name="vmafModel">Scores VMAF too when given (luma of at least <see cref="VmafMetric.MinimumSize"/>).</param>
    public FrameQualityPass(FrameLayout layout, VmafModel? vmafModel = null)
    {
        _ssim = new SsimMetric(layout);
        _psnr = new PsnrMetric(layout);
        if (vmafModel is not null)
        {
            _vmaf = new VmafMetric(vmafModel, layout.Width, layout.Height, layout.Format.BitDepth());
        }
    }

    public FrameLayout Layout => _ssim.Layout;

    /// <summary>The streaming VMAF state: final per-frame scores come from its TryTakeScore, the last at Flush.</summary>
    public VmafMetric? Vmaf => _vmaf;

    public FrameQuality Compute(in PlanarFrame reference, in PlanarFrame distorted)
    {
        var ssim = _ssim.Compute(reference, distorted, _sse);
        var psnr = _psnr.FromSse(_sse);
        VmafFeatures? features = _vmaf?.ComputeFeatures(reference.Plane0, reference.Stride0, distorted.Plane0, distorted.Stride0);
        return new FrameQuality(ssim, psnr, features);
    }

    public void Dispose() => _vmaf?.Dispose();
}
