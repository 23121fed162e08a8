using Aqs.Engine.Analysis;

namespace Aqs.Engine.Rungs;

/// <summary>
/// Predicts the VMAF of each presented picture (what the display measures against its source frame) from a rung at a
/// bitrate, for the content at hand, and learns from what the display measured. The prior is a saturating curve in
/// bits per pixel scaled by content complexity (<c>100·(1 − exp(−a·(bpp/c)^b))</c>, fitted to x264 veryfast on
/// camera content: 92 at 0.072 bpp, 75 at 0.018), times a loss for upscaling a smaller rung back to the source size
/// that grows with detail. What a lower frame rate costs is not in a picture's VMAF; <see cref="TemporalPenalty"/>
/// prices it for the rung choice. Per rung (size and rate),
/// an exponentially weighted residual of measured minus predicted corrects the prior; rungs never measured borrow
/// the mean residual of those that were. SSIM alone (no VMAF model at the display) is mapped onto the VMAF scale.
/// </summary>
public sealed class QualityModel
{
    private const double A = 7.93;
    private const double B = 0.434;
    private const double ResidualWeight = 0.2;
    private readonly Dictionary<(int Height, int Decimation), double> _residual = [];

    public double Predict(Rung rung, double bitrateBps, in ContentMetrics content, int sourceHeight) =>
        Math.Clamp(Prior(rung, bitrateBps, content, sourceHeight) + Residual(rung), 0, 100);

    /// <summary>The prediction before learning: what <see cref="Observe"/> compares the measurement with.</summary>
    public double Prior(Rung rung, double bitrateBps, in ContentMetrics content, int sourceHeight)
    {
        var bpp = bitrateBps / Math.Max(1, rung.PixelsPerSecond);
        var native = 100 * (1 - Math.Exp(-A * Math.Pow(Math.Max(1e-6, bpp / content.Complexity), B)));
        var scale = (double)rung.Height / sourceHeight;
        var detailLoss = Math.Clamp(0.2 + content.SpatialComplexity / 60.0, 0.15, 0.45);
        return native * (1 - detailLoss * (1 - scale));
    }

    /// <summary>
    /// Points a viewer loses from a picture of <paramref name="vmaf"/> by seeing every <paramref name="decimation"/>-th
    /// frame. The seed's PQM (3.1) scales quality by fps/60, which would make 30 fps worth half of 60 even on a still
    /// picture; here the scale is <c>(1/decimation)^γ</c> with γ growing with motion (0.06 still, 0.35 at most): about
    /// 4 points of 95 at half rate on still content, 18 on fast motion.
    /// </summary>
    public static double TemporalPenalty(int decimation, in ContentMetrics content, double vmaf)
    {
        if (decimation <= 1)
        {
            return 0;
        }
        var gamma = Math.Clamp(0.06 + 0.03 * content.Motion, 0.06, 0.35);
        return Math.Max(0, vmaf) * (1 - Math.Pow(1.0 / decimation, gamma));
    }

    /// <summary>Learns from a measured window: <paramref name="prior"/> is what <see cref="Prior"/> said when those frames were encoded.</summary>
    public void Observe(Rung rung, double measuredVmaf, double prior)
    {
        if (double.IsNaN(measuredVmaf) || double.IsNaN(prior))
        {
            return;
        }
        var key = (rung.Height, rung.Decimation);
        var error = measuredVmaf - prior;
        _residual[key] = _residual.TryGetValue(key, out var old) ? old + ResidualWeight * (error - old) : error;
    }

    /// <summary>The learned correction of a rung (0 before any measurement).</summary>
    public double Residual(Rung rung)
    {
        if (_residual.TryGetValue((rung.Height, rung.Decimation), out var r))
        {
            return r;
        }
        return _residual.Count == 0 ? 0 : _residual.Values.Average() * 0.5;
    }

    /// <summary>SSIM mapped onto the VMAF scale where no VMAF was scored (0.99 → 97, 0.95 → 85, 0.90 → 70).</summary>
    public static double VmafFromSsim(double ssim) => double.IsNaN(ssim) ? double.NaN : Math.Clamp(100 - 300 * (1 - ssim), 0, 100);
}
