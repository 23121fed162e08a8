using Aqs.Shared.Frames;
using Aqs.Shared.Quality;

namespace Aqs.Shared.Tests.Quality.Infrastructure;

/// <summary>What ffmpeg's filters gave for each frame: SSIM (Y,U,V,All) of its C code and of its default build, PSNR.</summary>
public sealed record FfmpegScores(List<double[]> Ssim, List<double[]> DefaultSsim, List<double[]> Psnr)
{
    /// <summary>Scores a y4m pair (in <paramref name="dir"/>) with FFmpeg's C code, then with its default (SIMD) build.</summary>
    public static FfmpegScores Of(string dir, string dist, string reference)
    {
        FfmpegTool.SsimAndPsnr(dir, dist, reference, referenceC: true);
        var ssim = FfmpegTool.ReadSsim(dir);
        var psnr = FfmpegTool.ReadPsnr(dir);
        FfmpegTool.SsimAndPsnr(dir, dist, reference);
        return new FfmpegScores(ssim, FfmpegTool.ReadSsim(dir), psnr);
    }

    /// <summary>
    /// ffmpeg prints 6 decimals (SSIM from a double, PSNR and MSE from a float): 5e-7 of rounding. Ours are
    /// compared as FFmpeg prints them, so 1e-6 is the precision this comparison can reach, and we reach it.
    /// </summary>
    public const double Tolerance = 1e-6;

    /// <summary>
    /// Asserts frame <paramref name="frame"/>: SSIM of every plane FFmpeg can score against its C code (and
    /// against its default build where its SSE4 code is not known to differ), PSNR and MSE of every plane and
    /// the average. Planes without a whole 8x8 window (FFmpeg prints nan or -0) must give a finite SSIM.
    /// </summary>
    public void AssertFrame(FrameLayout layout, int frame, SsimResult ssim, PsnrResult psnr, string where)
    {
        var depth = layout.Format.BitDepth();
        var ours = new[] { ssim.Y, ssim.U, ssim.V, ssim.All };
        var scored = true;
        for (var c = 0; c < layout.PlaneCount; c++)
        {
            var (w, h) = (layout.PlaneWidth(c), layout.PlaneHeight(c));
            if (w >> 2 < 2 || h >> 2 < 2)
            {
                // Ours is one window over the whole plane there (SsimMetric's remarks).
                Assert.That(ours[c], Is.InRange(-1.0, 1.0), $"{where}: ssim plane {c} without windows");
                scored = false;
                continue;
            }
            Assert.That(ours[c], Is.EqualTo(Ssim[frame][c]).Within(Tolerance), $"{where}: ssim plane {c} vs FFmpeg's C code");
            if (!FfmpegTool.SsimSse4RemainderDiffers(depth, w, h))
            {
                Assert.That(ours[c], Is.EqualTo(DefaultSsim[frame][c]).Within(Tolerance), $"{where}: ssim plane {c} vs default ffmpeg");
            }
        }
        if (scored)
        {
            Assert.That(ssim.All, Is.EqualTo(Ssim[frame][3]).Within(Tolerance), $"{where}: ssim All");
        }
        var oursPsnr = new[] { psnr.Y, psnr.U, psnr.V, psnr.Average, psnr.MseY, psnr.MseU, psnr.MseV, psnr.MseAverage };
        for (var c = 0; c < 8; c++)
        {
            if (c % 4 < 3 && c % 4 >= layout.PlaneCount)
            {
                continue;
            }
            var expected = Psnr[frame][c];
            if (double.IsPositiveInfinity(expected))
            {
                Assert.That(oursPsnr[c], Is.EqualTo(Decibels.Cap), $"{where}: psnr field {c} of identical planes is the cap");
                continue;
            }
            // FFmpeg keeps PSNR and MSE metadata as float: ours rounded the same way.
            Assert.That((double)(float)oursPsnr[c], Is.EqualTo(expected).Within(Tolerance), $"{where}: psnr field {c}");
        }
    }
}
