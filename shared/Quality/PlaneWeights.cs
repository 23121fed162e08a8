using Aqs.Shared.Frames;

namespace Aqs.Shared.Quality;

/// <summary>
/// Each plane's share of the frame's samples: how FFmpeg's psnr and ssim filters weight planes in
/// their averages (psnr's weighted peak, ssim's "All").
/// </summary>
internal static class PlaneWeights
{
    public static double[] Of(FrameLayout layout)
    {
        var planes = layout.PlaneCount;
        var sum = 0L;
        for (var p = 0; p < planes; p++)
        {
            sum += (long)layout.PlaneWidth(p) * layout.PlaneHeight(p);
        }
        var weights = new double[planes];
        for (var p = 0; p < planes; p++)
        {
            weights[p] = (double)layout.PlaneHeight(p) * layout.PlaneWidth(p) / sum;
        }
        return weights;
    }
}
