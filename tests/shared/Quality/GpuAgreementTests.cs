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
        // Odd sizes leave samples outside whole blocks; 150 wide gives rows of 36 windows, more than one group of the
        // CPU accelerator (16 threads), so the chunked row sums run; 6 wide has no 8x8 window (CPU fallback).
        var sizes = new[] { (45, 31), (64, 48), (150, 20), (67, 35), (6, 30) };
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

    [TestCase(PixelFormat.Yuv420p)]
    [TestCase(PixelFormat.Yuv422p10)]
    public void Gpu_kernels_match_cpu_on_strided_planes(PixelFormat format)
    {
        var layout = new FrameLayout(67, 35, format);
        using var gpu = new GpuQualityMetric(_gpu!, layout);
        var reference = SyntheticFrames.Reference(layout, 5);
        var distorted = SyntheticFrames.Distort(layout, reference, 1, 6);
        var (ra, rStrides) = Strided(layout, reference);
        var (da, dStrides) = Strided(layout, distorted);
        var r = Planes(layout, ra, rStrides);
        var d = Planes(layout, da, dStrides);
        gpu.Compute(r, d, out var gs, out var gp);
        var cs = new SsimMetric(layout).Compute(PlanarFrame.FromPacked(layout, reference), PlanarFrame.FromPacked(layout, distorted));
        var cp = new PsnrMetric(layout).Compute(PlanarFrame.FromPacked(layout, reference), PlanarFrame.FromPacked(layout, distorted));
        Assert.That(gp, Is.EqualTo(cp));
        Assert.That(gs.All, Is.EqualTo(cs.All).Within(Math.Abs(cs.All) * 1e-5));
        Assert.That(gs.Y, Is.EqualTo(cs.Y).Within(Math.Abs(cs.Y) * 1e-5));
    }

    [Test]
    public void Gpu_results_do_not_depend_on_the_previous_frame()
    {
        var layout = new FrameLayout(64, 48, PixelFormat.Yuv420p10);
        using var gpu = new GpuQualityMetric(_gpu!, layout);
        var reference = SyntheticFrames.Reference(layout, 3);
        var a = PlanarFrame.FromPacked(layout, reference);
        var first = PlanarFrame.FromPacked(layout, SyntheticFrames.Distort(layout, reference, 2, 8));
        var second = PlanarFrame.FromPacked(layout, SyntheticFrames.Distort(layout, reference, 4, 9));
        gpu.Compute(a, first, out var s1, out var p1);
        gpu.Compute(a, second, out var s2, out var p2);
        gpu.Compute(a, first, out var s3, out var p3);
        Assert.That(p2, Is.Not.EqualTo(p1), "the two distortions differ");
        Assert.That(s3, Is.EqualTo(s1), "the same pair gives the same SSIM bit for bit");
        Assert.That(p3, Is.EqualTo(p1), "PSNR totals are reset between frames");
    }

    /// <summary>Each plane in its own array with 14 spare bytes a row, so the upload cannot copy the frame in one piece.</summary>
    private static (byte[][] Planes, int[] Strides) Strided(FrameLayout layout, byte[] packed)
    {
        var planes = new byte[3][];
        var strides = new int[3];
        for (var p = 0; p < 3; p++)
        {
            if (p >= layout.PlaneCount)
            {
                planes[p] = [];
                continue;
            }
            var row = layout.Stride(p);
            strides[p] = row + 14;
            planes[p] = new byte[strides[p] * layout.PlaneHeight(p)];
            for (var y = 0; y < layout.PlaneHeight(p); y++)
            {
                packed.AsSpan(layout.Offset(p) + y * row, row).CopyTo(planes[p].AsSpan(y * strides[p]));
            }
        }
        return (planes, strides);
    }

    private static PlanarFrame Planes(FrameLayout layout, byte[][] planes, int[] strides) =>
        new(layout, planes[0], strides[0], planes[1], strides[1], planes[2], strides[2]);

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
