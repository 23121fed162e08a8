using Aqs.Shared.Frames;
using Aqs.Shared.Quality;
using Aqs.Shared.Tests.Quality.Infrastructure;
using Aqs.Tests.Infrastructure;
using CsCheck;

namespace Aqs.Shared.Tests.Quality;

/// <summary>
/// Property: for any size (1 to 2000 on each side, odd and even) of every pixel format, noisy frame pairs score
/// the same with us as with the real ffmpeg <c>ssim</c> and <c>psnr</c> filters, run in the test, to 1e-6
/// (<see cref="FfmpegScores.AssertFrame"/>: FFmpeg's C code everywhere, its default x86 build where its SSE4 SSIM
/// is not known to differ from that C code).
/// Both our separate metrics and the fused pass that <c>aqs quality</c> and Kernel D use are checked.
/// </summary>
public class FfmpegPropertyTests
{
    /// <summary>Cases per format per run; CsCheck draws new sizes each run and prints the seed of a failing one.</summary>
    private const int CasesPerFormat = 3;

    private static IEnumerable<TestCaseData> Formats() =>
        PixelFormats.All.Select(f => new TestCaseData(f).SetName($"Ssim_and_psnr_match_ffmpeg_at_any_size_{f.FfmpegName()}"));

    private static readonly Gen<int> Side = Gen.Frequency((2, Gen.Int[1, 40]), (3, Gen.Int[1, 2000]));

    [TestCaseSource(nameof(Formats))]
    public void Ssim_and_psnr_match_ffmpeg_at_any_size(PixelFormat format)
    {
        FfmpegTool.RequireOrIgnore();
        // Seeds stay small and positive: SyntheticFrames makes out-of-range samples from negative ones.
        Gen.Select(Side, Side, Gen.Int[0, 4], Gen.Int[0, 1_000_000]).SampleFixed(
            (width, height, secondKind, seed) => CheckOnePair(new FrameLayout(width, height, format), secondKind, seed),
            seed: 0x5C0201, iter: CasesPerFormat, threads: 1);
    }

    private static void CheckOnePair(FrameLayout layout, int secondKind, int seed)
    {
        using var dir = new TempDirectory();
        // Frame 0: the reference with mild noise; frame 1: a new reference (temporal noise) with any distortion.
        var references = new[] { SyntheticFrames.Reference(layout, seed), SyntheticFrames.Reference(layout, seed + 1) };
        var distorted = new[] { SyntheticFrames.Distort(layout, references[0], 0, seed), SyntheticFrames.Distort(layout, references[1], secondKind, seed) };
        Y4m.Write(dir.File("ref.y4m"), layout, references);
        Y4m.Write(dir.File("dist.y4m"), layout, distorted);
        var ffmpeg = FfmpegScores.Of(dir.Path, "dist.y4m", "ref.y4m");
        Assert.That(ffmpeg.Ssim, Has.Count.EqualTo(2), $"{layout}: ffmpeg ssim frames");
        Assert.That(ffmpeg.Psnr, Has.Count.EqualTo(2), $"{layout}: ffmpeg psnr frames");

        using var pass = new FrameQualityPass(layout);
        var ssim = new SsimMetric(layout);
        var psnr = new PsnrMetric(layout);
        for (var i = 0; i < 2; i++)
        {
            var r = PlanarFrame.FromPacked(layout, references[i]);
            var d = PlanarFrame.FromPacked(layout, distorted[i]);
            var where = $"{layout.Width}x{layout.Height} {layout.Format.FfmpegName()} frame {i} (second kind {secondKind}, seed {seed})";
            var fused = pass.Compute(r, d);
            ffmpeg.AssertFrame(layout, i, fused.Ssim, fused.Psnr, where + " fused pass");
            ffmpeg.AssertFrame(layout, i, ssim.Compute(r, d), psnr.Compute(r, d), where + " separate metrics");
        }
    }
}
