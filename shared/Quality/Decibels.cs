namespace Aqs.Shared.Quality;

/// <summary>
/// The dB forms of PSNR and SSIM, with the one deliberate difference from FFmpeg: where FFmpeg prints
/// <c>inf</c> (identical planes: MSE 0, or SSIM 1), we report <see cref="Cap"/> instead, as x264 does
/// for both its PSNR and its SSIM dB. Values are capped, not only infinities, so that the order of
/// results is kept (a near-identical frame never scores above an identical one). Below 100 dB the
/// numbers are FFmpeg's exactly.
/// </summary>
public static class Decibels
{
    /// <summary>The highest dB value any result carries (x264's convention).</summary>
    public const double Cap = 100.0;

    /// <summary>FFmpeg's <c>get_psnr</c>: <c>10·log10(max² / mse)</c>, capped.</summary>
    public static double Psnr(double mse, int max)
    {
        // FFmpeg squares max as unsigned int before the division; for max <= 4095 that is exact.
        var peak = (double)((uint)max * (uint)max);
        if (!(mse > 0))
        {
            return Cap;
        }
        var db = 10.0 * Math.Log10(peak / mse);
        return db < Cap ? db : Cap;
    }

    /// <summary>FFmpeg's <c>ssim_db(ssim, weight)</c> = <c>10·log10(weight / (weight − ssim))</c>, capped.</summary>
    /// <param name="ssimSum">An SSIM, or a sum of SSIMs over <paramref name="weight"/> frames.</param>
    public static double Ssim(double ssimSum, double weight = 1.0)
    {
        var rest = weight - ssimSum;
        if (!(Math.Abs(rest) > 1e-9))
        {
            return Cap;
        }
        var db = 10.0 * Math.Log10(weight / rest);
        return double.IsFinite(db) && db < Cap ? db : Cap;
    }
}
