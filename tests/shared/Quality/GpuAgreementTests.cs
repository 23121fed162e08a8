using Aqs.Shared.Frames;
using Aqs.Shared.Gpu;
using Aqs.Shared.Quality;
using Aqs.Shared.Quality.Gpu;
using Aqs.Shared.Tests.Quality.Infrastructure;

namespace Aqs.Shared.Tests.Quality;

/// <summary>The ILGPU kernels (run here on ILGPU's CPU accelerator) agree with the CPU SIMD path within 1e-5 relative.</summary>
public class GpuAgreementTests
{
    private static GpuContext? _gpu;

    [OneTimeSetUp]
    public void Start() => _gpu = GpuContext.CreateCpu(TestContext.Progress.WriteLine);

    [OneTimeTearDown]
    public void Stop() => _gpu?.Dispose();

    private static IEnumerable<TestCaseData> Cases()
    {
        var sizes = new[] { (45, 31), (64, 36), (6, 30) };
        var i = 0;
        foreach (var format in PixelFormats.All)
        {
            var (w, h) = sizes[i++ % sizes.Length];
            yield return new TestCaseData(format, w, h).SetName($"Gpu_kernels_match_cpu_{format}_{w}x{h}");
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Gpu_kernels_match_cpu(PixelFormat format, int width, int height)
    {
        var layout = new FrameLayout(width, height, format);
        using var gpu = new GpuQualityMetric(_gpu!, layout);
        var ssim = new SsimMetric(layout);
        var psnr = new PsnrMetric(layout);
        var reference = SyntheticFrames.Reference(layout, 11);
        foreach (var kind in new[] { 0, 1, 2, 3, 4 })
        {
            var distorted = SyntheticFrames.Distort(layout, reference, kind, 4);
            var r = PlanarFrame.FromPacked(layout, reference);
            var d = PlanarFrame.FromPacked(layout, distorted);
            gpu.Compute(r, d, out var gs, out var gp);
            var cs = ssim.Compute(r, d);
            var cp = psnr.Compute(r, d);
            Assert.That(gp, Is.EqualTo(cp), $"kind {kind}: PSNR sums are exact integers");
            foreach (var (g, c) in new[] { (gs.Y, cs.Y), (gs.U, cs.U), (gs.V, cs.V), (gs.All, cs.All) })
            {
                Assert.That(g, Is.EqualTo(c).Within(Math.Max(1e-12, Math.Abs(c) * 1e-5)), $"kind {kind}: ssim {gs} vs {cs}");
            }
        }
    }

    [Test]
    public void No_gpu_gives_null_and_a_log_line_not_an_exception()
    {
        var lines = new List<string>();
        using var gpu = GpuContext.TryCreate(lines.Add);
        Assert.That(lines, Has.Count.EqualTo(1));
        Assert.That(lines[0], Does.StartWith("gpu: "));
        Assert.That(gpu is null || gpu.Type != ILGPU.Runtime.AcceleratorType.CPU);
    }
}
