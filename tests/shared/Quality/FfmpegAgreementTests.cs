using Aqs.Shared.Frames;
using Aqs.Shared.Quality;
using Aqs.Shared.Tests.Quality.Infrastructure;

namespace Aqs.Shared.Tests.Quality;

/// <summary>
/// Self-made frames (every format, odd sizes, noise, blocks, saturation, identical and inverted planes),
/// written as y4m and scored by the real ffmpeg ssim/psnr filters: our per-frame and pooled values must
/// match. Needs no shared data, only the ffmpeg CLI.
/// </summary>
public class FfmpegAgreementTests
{
    // FFmpeg prints SSIM with 6 decimals; PSNR/MSE metadata as %f of a float.
    private const double SsimTolerance = 2e-6;
    private const double PsnrToleranceDb = 1e-4;

    // Odd and even sizes, alternated over the formats to keep the number of ffmpeg runs small.
    private static readonly (int W, int H)[] Sizes = [(45, 31), (130, 66), (67, 101)];

    private static IEnumerable<TestCaseData> Cases()
    {
        var i = 0;
        foreach (var format in PixelFormats.All)
        {
            var (w, h) = Sizes[i++ % Sizes.Length];
            yield return new TestCaseData(format, w, h).SetName($"Matches_ffmpeg_filters_{format}_{w}x{h}");
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Matches_ffmpeg_filters(PixelFormat format, int width, int height)
    {
        FfmpegTool.RequireOrIgnore();
        using var dir = new TempDirectory();
        var layout = new FrameLayout(width, height, format);
        var references = new List<byte[]>();
        var distorted = new List<byte[]>();
        for (var kind = 0; kind < 5; kind++)
        {
            var reference = SyntheticFrames.Reference(layout, kind + width);
            references.Add(reference);
            distorted.Add(SyntheticFrames.Distort(layout, reference, kind, kind + height));
        }
        Y4m.Write(dir.File("ref.y4m"), layout, references);
        Y4m.Write(dir.File("dist.y4m"), layout, distorted);
        FfmpegTool.SsimAndPsnr(dir.Path, "dist.y4m", "ref.y4m");
        var ffSsim = FfmpegTool.ReadSsim(dir.Path);
        var ffPsnr = FfmpegTool.ReadPsnr(dir.Path);
        Assert.That(ffSsim, Has.Count.EqualTo(5));
        Assert.That(ffPsnr, Has.Count.EqualTo(5));

        var ssim = new SsimMetric(layout);
        var psnr = new PsnrMetric(layout);
        var ssimPool = new SsimPool();
        var psnrPool = new PsnrPool(layout);
        var planes = layout.PlaneCount;
        for (var i = 0; i < 5; i++)
        {
            var r = PlanarFrame.FromPacked(layout, references[i]);
            var d = PlanarFrame.FromPacked(layout, distorted[i]);
            var s = ssim.Compute(r, d);
            var p = psnr.Compute(r, d);
            ssimPool.Add(s);
            psnrPool.Add(p);
            var ours = new[] { s.Y, s.U, s.V, s.All };
            for (var c = 0; c < 4; c++)
            {
                if (c < 3 && c >= planes)
                {
                    continue;
                }
                Assert.That(ours[c], Is.EqualTo(ffSsim[i][c]).Within(SsimTolerance), $"frame {i} ssim component {c}");
            }
            var oursPsnr = new[] { p.Y, p.U, p.V, p.Average, p.MseY, p.MseU, p.MseV, p.MseAverage };
            for (var c = 0; c < 8; c++)
            {
                if (c % 4 < 3 && c % 4 >= planes)
                {
                    continue;
                }
                var expected = ffPsnr[i][c];
                if (double.IsPositiveInfinity(expected))
                {
                    Assert.That(oursPsnr[c], Is.EqualTo(Decibels.Cap), $"frame {i} psnr component {c}: identical planes report the cap");
                }
                else if (c < 4)
                {
                    Assert.That(oursPsnr[c], Is.EqualTo(expected).Within(PsnrToleranceDb), $"frame {i} psnr component {c}");
                }
                else
                {
                    Assert.That(oursPsnr[c], Is.EqualTo(expected).Within(Math.Max(1e-6, Math.Abs(expected) * 1e-6)), $"frame {i} mse component {c}");
                }
            }
        }
        Assert.That(double.IsFinite(psnrPool.Result.Average) && double.IsFinite(ssimPool.Result.All), "pooled values are finite");
    }
}
