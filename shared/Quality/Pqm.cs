namespace Aqs.Shared.Quality;

/// <summary>
/// The perceptual quality metric of seed section 3.1, with VMAF normalised to 0..1:
/// <c>PQM = (0.7·SSIM + 0.3·VMAF/100) / (1 + log10(1 + kbps/1000)) · fps/60</c>.
/// The denominator charges for bitrate, the last factor rewards frame rate against 60 fps.
/// </summary>
public static class Pqm
{
    /// <summary>
    /// PQM for one measurement. When <paramref name="vmaf"/> is NaN (VMAF unavailable) the SSIM term takes the
    /// whole weight (<c>1.0·SSIM</c>), which <see cref="UsesSsimOnly"/> reports so callers can say so.
    /// </summary>
    /// <param name="ssim">SSIM All, 0..1.</param>
    /// <param name="vmaf">VMAF score, 0..100, or NaN when not measured.</param>
    /// <param name="kbps">Bitrate in kbit/s, ≥ 0.</param>
    /// <param name="fps">Frame rate, > 0.</param>
    public static double Compute(double ssim, double vmaf, double kbps, double fps)
    {
        if (!double.IsFinite(ssim))
        {
            throw new ArgumentOutOfRangeException(nameof(ssim), ssim, "pqm: ssim must be a finite number");
        }
        if (double.IsInfinity(vmaf))
        {
            throw new ArgumentOutOfRangeException(nameof(vmaf), vmaf, "pqm: vmaf must be 0..100 or NaN (unavailable)");
        }
        if (!double.IsFinite(kbps) || kbps < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(kbps), kbps, "pqm: kbps must be a finite number >= 0");
        }
        if (!double.IsFinite(fps) || fps <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(fps), fps, "pqm: fps must be a finite number > 0");
        }
        var quality = UsesSsimOnly(vmaf) ? ssim : 0.7 * ssim + 0.3 * Math.Clamp(vmaf, 0, 100) / 100.0;
        return quality / (1.0 + Math.Log10(1.0 + kbps / 1000.0)) * fps / 60.0;
    }

    /// <summary>True when <see cref="Compute"/> leaves VMAF out (it is NaN) and scores by SSIM alone.</summary>
    public static bool UsesSsimOnly(double vmaf) => double.IsNaN(vmaf);
}
