using Aqs.Shared.Frames;
using Aqs.Shared.Quality;
using Aqs.Shared.Tests.Quality.Infrastructure;

namespace Aqs.Shared.Tests.Quality;

/// <summary>Every vector path (and its scalar remainder) gives exactly the scalar path's numbers.</summary>
public class SimdPathTests
{
    private static readonly (int W, int H)[] Sizes =
    [
        (1, 1), (3, 5), (7, 9), (8, 8), (9, 8), (16, 16), (31, 17), (33, 35), (64, 12), (67, 45), (130, 37), (161, 9),
    ];

    private static IEnumerable<TestCaseData> Cases()
    {
        foreach (var format in PixelFormats.All)
        {
            foreach (var (w, h) in Sizes)
            {
                yield return new TestCaseData(format, w, h).SetName($"Vector_paths_match_scalar_{format}_{w}x{h}");
            }
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Vector_paths_match_scalar(PixelFormat format, int width, int height)
    {
        var layout = new FrameLayout(width, height, format);
        var reference = SyntheticFrames.Reference(layout, width * 31 + height);
        foreach (var kind in new[] { 0, 1, 2, 3, 4 })
        {
            var distorted = SyntheticFrames.Distort(layout, reference, kind, width + height);
            var r = PlanarFrame.FromPacked(layout, reference);
            var d = PlanarFrame.FromPacked(layout, distorted);
            var psnrScalar = new PsnrMetric(layout, SimdLevel.Scalar).Compute(r, d);
            var ssimScalar = new SsimMetric(layout, SimdLevel.Scalar).Compute(r, d);
            Assert.That(double.IsFinite(psnrScalar.Average) && double.IsFinite(ssimScalar.All), $"finite results for kind {kind}");
            foreach (var level in new[] { SimdLevel.Sse41, SimdLevel.Avx2 })
            {
                Assert.That(new PsnrMetric(layout, level).Compute(r, d), Is.EqualTo(psnrScalar), $"psnr {level} kind {kind}");
                // Window values are bit-exact; only the order of the double sums differs between paths.
                var ssim = new SsimMetric(layout, level).Compute(r, d);
                Assert.That(new[] { ssim.Y, ssim.U, ssim.V, ssim.All },
                    Is.EqualTo(new[] { ssimScalar.Y, ssimScalar.U, ssimScalar.V, ssimScalar.All }).Within(1e-12), $"ssim {level} kind {kind}");
            }
        }
    }

    [Test]
    public void Best_level_is_used_by_the_public_constructor()
    {
        var layout = new FrameLayout(64, 64, PixelFormat.Yuv420p);
        Assert.That(new SsimMetric(layout).Level, Is.EqualTo(SimdLevels.Best));
        Assert.That(new PsnrMetric(layout).Level, Is.EqualTo(SimdLevels.Best));
    }
}
