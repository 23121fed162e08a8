using Aqs.Shared.Frames;
using Aqs.Shared.Gpu;
using Aqs.Shared.Quality;
using Aqs.Shared.Quality.Vmaf;
using Aqs.Shared.Tests.Quality.Infrastructure;
using Aqs.Shared.Tests.Quality.Vmaf;
using SyntheticFrames = Aqs.Shared.Tests.Quality.Infrastructure.SyntheticFrames;

namespace Aqs.Shared.Tests.Quality;

public sealed class FrameQualityPassTests
{
    private static IEnumerable<TestCaseData> Layouts()
    {
        foreach (var format in PixelFormats.All)
        {
            // Whole 4x4 blocks only, ragged right and bottom edges, and planes too small for one SSIM window.
            foreach (var (w, h) in new[] { (64, 48), (97, 61), (35, 18), (7, 5) })
            {
                yield return new TestCaseData(new FrameLayout(w, h, format)).SetArgDisplayNames($"{w}x{h} {format}");
            }
        }
    }

    [TestCaseSource(nameof(Layouts))]
    public void One_pass_gives_the_same_SSIM_and_PSNR_as_the_separate_metrics(FrameLayout layout)
    {
        for (var seed = 0; seed < 3; seed++)
        {
            var reference = SyntheticFrames.Reference(layout, seed);
            var distorted = SyntheticFrames.Distort(layout, reference, seed, seed + 11);
            var r = PlanarFrame.FromPacked(layout, reference);
            var d = PlanarFrame.FromPacked(layout, distorted);
            using var pass = new FrameQualityPass(layout);

            var fused = pass.Compute(r, d);

            Assert.That(fused.Ssim, Is.EqualTo(new SsimMetric(layout).Compute(r, d)));
            Assert.That(fused.Psnr, Is.EqualTo(new PsnrMetric(layout).Compute(r, d)));
            Assert.That(fused.Vmaf, Is.Null);
        }
    }

    [Test]
    public void One_pass_gives_the_same_VMAF_features_and_scores_as_VmafMetric_alone()
    {
        var layout = new FrameLayout(96, 64, PixelFormat.Yuv420p10);
        var model = SyntheticModel.Load(SyntheticModel.Json());
        using var pass = new FrameQualityPass(layout, model);
        using var alone = new VmafMetric(model, layout.Width, layout.Height, 10);
        for (var i = 0; i < 4; i++)
        {
            var reference = SyntheticFrames.Reference(layout, i);
            var distorted = SyntheticFrames.Distort(layout, reference, 1, i);
            var r = PlanarFrame.FromPacked(layout, reference);
            var d = PlanarFrame.FromPacked(layout, distorted);

            var fused = pass.Compute(r, d);
            var expected = alone.ComputeFeatures(r.Plane0, r.Stride0, d.Plane0, d.Stride0);

            Assert.That(fused.Vmaf, Is.EqualTo(expected));
        }
        pass.Vmaf!.Flush();
        alone.Flush();
        Assert.That(pass.Vmaf.PooledMean, Is.EqualTo(alone.PooledMean));
        Assert.That(pass.Vmaf.ScoredFrames, Is.EqualTo(4));
    }

    [Test]
    public void One_pass_on_an_accelerator_agrees_with_the_CPU_pass()
    {
        var layout = new FrameLayout(97, 61, PixelFormat.Yuv420p10);
        var reference = SyntheticFrames.Reference(layout, 5);
        var distorted = SyntheticFrames.Distort(layout, reference, 2, 6);
        var r = PlanarFrame.FromPacked(layout, reference);
        var d = PlanarFrame.FromPacked(layout, distorted);
        using var gpu = GpuContext.CreateCpu();
        using var onGpu = new FrameQualityPass(layout, gpu: gpu);
        using var onCpu = new FrameQualityPass(layout);

        var g = onGpu.Compute(r, d);
        var c = onCpu.Compute(r, d);

        Assert.That(onGpu.Device, Does.StartWith("CPU:").Or.Contains("Cpu"));
        Assert.That(g.Ssim.All, Is.EqualTo(c.Ssim.All).Within(1e-5).Percent);
        Assert.That(g.Psnr.Average, Is.EqualTo(c.Psnr.Average), "PSNR sums are exact on both");
    }
}
