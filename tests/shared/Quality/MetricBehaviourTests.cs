using System.Text.Json;
using Aqs.Shared.Cli;
using Aqs.Shared.Frames;
using Aqs.Shared.Quality;
using Aqs.Shared.Tests.Quality.Infrastructure;

namespace Aqs.Shared.Tests.Quality;

public class MetricBehaviourTests
{
    [Test]
    public void Identical_frames_give_ssim_one_and_capped_psnr()
    {
        var layout = new FrameLayout(37, 23, PixelFormat.Yuv420p10);
        var frame = SyntheticFrames.Reference(layout, 5);
        var f = PlanarFrame.FromPacked(layout, frame);
        var s = new SsimMetric(layout).Compute(f, f);
        var p = new PsnrMetric(layout).Compute(f, f);
        Assert.Multiple(() =>
        {
            Assert.That(s.All, Is.EqualTo(1.0).Within(1e-12));
            Assert.That(s.AllDb, Is.EqualTo(Decibels.Cap));
            Assert.That(p.Average, Is.EqualTo(Decibels.Cap));
            Assert.That(p.MseAverage, Is.Zero);
        });
    }

    [TestCase(1, 1)]
    [TestCase(2, 3)]
    [TestCase(5, 7)]
    [TestCase(7, 40)]
    [TestCase(15, 15)]
    public void Planes_without_an_8x8_window_still_give_finite_ssim(int width, int height)
    {
        foreach (var format in PixelFormats.All)
        {
            var layout = new FrameLayout(width, height, format);
            var reference = SyntheticFrames.Reference(layout, 3);
            foreach (var kind in new[] { 0, 2, 3, 4 })
            {
                var distorted = SyntheticFrames.Distort(layout, reference, kind, 1);
                var s = new SsimMetric(layout).Compute(PlanarFrame.FromPacked(layout, reference), PlanarFrame.FromPacked(layout, distorted));
                foreach (var v in new[] { s.Y, s.U, s.V, s.All, s.AllDb })
                {
                    Assert.That(double.IsFinite(v), $"{format} {width}x{height} kind {kind}: {s}");
                }
                Assert.That(s.All, Is.InRange(-1.0, 1.0 + 1e-12));
                if (kind == 3)
                {
                    Assert.That(s.All, Is.EqualTo(1.0).Within(1e-9));
                }
            }
        }
    }

    [Test]
    public void Strided_planes_give_the_same_result_as_packed_ones()
    {
        var layout = new FrameLayout(41, 19, PixelFormat.Yuv422p12);
        var reference = SyntheticFrames.Reference(layout, 9);
        var distorted = SyntheticFrames.Distort(layout, reference, 0, 9);
        var packed = new SsimMetric(layout).Compute(PlanarFrame.FromPacked(layout, reference), PlanarFrame.FromPacked(layout, distorted));
        var packedPsnr = new PsnrMetric(layout).Compute(PlanarFrame.FromPacked(layout, reference), PlanarFrame.FromPacked(layout, distorted));
        var (r, rs) = Padded(layout, reference, 64);
        var (d, ds) = Padded(layout, distorted, 96);
        var rf = new PlanarFrame(layout, r[0], rs[0], r[1], rs[1], r[2], rs[2]);
        var df = new PlanarFrame(layout, d[0], ds[0], d[1], ds[1], d[2], ds[2]);
        Assert.That(new SsimMetric(layout).Compute(rf, df), Is.EqualTo(packed));
        Assert.That(new PsnrMetric(layout).Compute(rf, df), Is.EqualTo(packedPsnr));
    }

    private static (byte[][] Planes, int[] Strides) Padded(FrameLayout layout, byte[] packed, int pad)
    {
        var planes = new byte[3][];
        var strides = new int[3];
        for (var p = 0; p < 3; p++)
        {
            strides[p] = layout.Stride(p) + pad;
            planes[p] = new byte[strides[p] * layout.PlaneHeight(p)];
            for (var y = 0; y < layout.PlaneHeight(p); y++)
            {
                packed.AsSpan(layout.Offset(p) + y * layout.Stride(p), layout.Stride(p)).CopyTo(planes[p].AsSpan(y * strides[p]));
            }
        }
        return (planes, strides);
    }

    [Test]
    public void Mismatched_frames_are_refused_with_one_line()
    {
        var layout = new FrameLayout(32, 32, PixelFormat.Yuv420p);
        var other = new FrameLayout(32, 32, PixelFormat.Yuv420p10);
        var a = new byte[layout.FrameSize];
        var b = new byte[other.FrameSize];
        var ex = Assert.Throws<ArgumentException>(() => new SsimMetric(layout).Compute(PlanarFrame.FromPacked(layout, a), PlanarFrame.FromPacked(other, b)));
        Assert.That(ex!.Message, Does.Contain("distorted frame is 32x32 yuv420p10le").And.Not.Contain("\n"));
        Assert.Throws<ArgumentException>(() => new PsnrMetric(layout).Compute(PlanarFrame.FromPacked(other, b), PlanarFrame.FromPacked(layout, a)));
    }

    [Test]
    public void Psnr_pool_uses_the_psnr_of_the_mean_mse_as_ffmpeg_does()
    {
        var layout = new FrameLayout(16, 16, PixelFormat.Yuv444p);
        var pool = new PsnrPool(layout);
        pool.Add(new PsnrResult(0, 0, 0, 0, 1, 1, 1, 1));
        pool.Add(new PsnrResult(0, 0, 0, 0, 100, 100, 100, 100));
        var expected = 10 * Math.Log10(255.0 * 255.0 / 50.5);
        Assert.Multiple(() =>
        {
            Assert.That(pool.Result.Average, Is.EqualTo(expected).Within(1e-12));
            Assert.That(pool.MinAverage, Is.EqualTo(10 * Math.Log10(255.0 * 255.0 / 100)).Within(1e-12));
            Assert.That(pool.MaxAverage, Is.EqualTo(10 * Math.Log10(255.0 * 255.0)).Within(1e-12));
        });
    }

    [Test]
    public void Empty_pools_refuse_to_report()
    {
        Assert.Throws<InvalidOperationException>(() => _ = new SsimPool().Result);
        Assert.Throws<InvalidOperationException>(() => _ = new PsnrPool(new FrameLayout(8, 8, PixelFormat.Gray8)).Result);
    }

    [Test]
    public void Pqm_follows_seed_formula_and_falls_back_to_ssim_without_vmaf()
    {
        var withVmaf = Pqm.Compute(0.95, 90, 4000, 30);
        var expected = (0.7 * 0.95 + 0.3 * 0.9) / (1 + Math.Log10(1 + 4.0)) * 30 / 60;
        Assert.That(withVmaf, Is.EqualTo(expected).Within(1e-12));
        Assert.That(Pqm.Compute(0.95, double.NaN, 0, 60), Is.EqualTo(0.95).Within(1e-12));
        Assert.That(Pqm.UsesSsimOnly(double.NaN), Is.True);
        Assert.Throws<ArgumentOutOfRangeException>(() => Pqm.Compute(double.NaN, 50, 1000, 30));
        Assert.Throws<ArgumentOutOfRangeException>(() => Pqm.Compute(0.9, 50, 1000, 0));
    }

    [Test]
    public void Report_writes_finite_json_with_per_frame_and_pooled_values()
    {
        var layout = new FrameLayout(24, 18, PixelFormat.Yuv420p);
        var refs = Enumerable.Range(0, 3).Select(i => SyntheticFrames.Reference(layout, i)).ToList();
        var dists = refs.Select((r, i) => SyntheticFrames.Distort(layout, r, i == 1 ? 3 : 0, i)).ToList();
        var report = QualityReport.Compute(layout, refs.Select(f => (ReadOnlyMemory<byte>)f), layout, dists.Select(f => (ReadOnlyMemory<byte>)f));
        using var ms = new MemoryStream();
        report.WriteJson(ms);
        using var doc = JsonDocument.Parse(ms.ToArray());
        Assert.Multiple(() =>
        {
            Assert.That(doc.RootElement.GetProperty("per_frame").GetArrayLength(), Is.EqualTo(3));
            Assert.That(doc.RootElement.GetProperty("per_frame")[1].GetProperty("psnr").GetProperty("average").GetDouble(), Is.EqualTo(Decibels.Cap));
            Assert.That(doc.RootElement.GetProperty("pooled").GetProperty("ssim").GetProperty("All").GetDouble(), Is.EqualTo(report.Ssim.All));
            Assert.That(report.Summary(), Does.StartWith("SSIM Y:"));
        });
    }

    [Test]
    public void Report_refuses_mismatched_inputs_with_one_line()
    {
        var a = new FrameLayout(24, 18, PixelFormat.Yuv420p);
        var b = new FrameLayout(24, 16, PixelFormat.Yuv420p);
        var c = new FrameLayout(24, 18, PixelFormat.Yuv420p10);
        var frames = new[] { (ReadOnlyMemory<byte>)new byte[a.FrameSize] };
        Assert.That(Assert.Throws<UserFacingException>(() => QualityReport.Compute(a, frames, b, frames))!.Message, Does.Contain("frame sizes differ"));
        Assert.That(Assert.Throws<UserFacingException>(() => QualityReport.Compute(a, frames, c, frames))!.Message, Does.Contain("bit depth 8 vs 10"));
        Assert.That(Assert.Throws<UserFacingException>(() => QualityReport.Compute(a, frames, a, frames.Concat(frames)))!.Message, Does.Contain("frame counts differ"));
        Assert.That(Assert.Throws<UserFacingException>(() => QualityReport.Compute(a, [new byte[10]], a, frames))!.Message, Does.Contain("has 10 bytes"));
    }
}
