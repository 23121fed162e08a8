namespace Aqs.Shared.Quality;

/// <summary>
/// PSNR of one frame (or pooled over frames) as FFmpeg's <c>psnr</c> filter reports it: per-plane MSE,
/// the weighted average MSE (weights = plane sample counts) and their dB forms. dB values are capped at
/// <see cref="Decibels.Cap"/> (FFmpeg prints <c>inf</c> for identical planes). A missing plane (gray)
/// reports MSE 0 and the cap.
/// </summary>
public readonly record struct PsnrResult(double Y, double U, double V, double Average, double MseY, double MseU, double MseV, double MseAverage);
