namespace Aqs.Shared.Quality;

/// <summary>
/// SSIM of one frame (or pooled over frames) as FFmpeg's <c>ssim</c> filter reports it; <see cref="All"/>
/// weights planes by their sample counts. A missing plane (gray) reports 1.
/// </summary>
public readonly record struct SsimResult(double Y, double U, double V, double All)
{
    /// <summary><c>-10·log10(1 − All)</c>, the figure FFmpeg prints in brackets, capped at <see cref="Decibels.Cap"/>.</summary>
    public double AllDb => Decibels.Ssim(All);

    public double YDb => Decibels.Ssim(Y);

    public double UDb => Decibels.Ssim(U);

    public double VDb => Decibels.Ssim(V);
}
