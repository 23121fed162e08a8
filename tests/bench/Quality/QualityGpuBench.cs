using System.Diagnostics;
using Aqs.Bench.Harness;
using Aqs.Shared.Frames;
using Aqs.Shared.Gpu;
using Aqs.Shared.Quality;
using Aqs.Shared.Quality.Gpu;
using Aqs.Shared.Quality.Vmaf;

namespace Aqs.Bench.Quality;

/// <summary>
/// SSIM + PSNR of a frame pair, and VMAF (v0.6.1 features) of a sequence, on the GPU (ILGPU, CUDA when present),
/// 1080p and 4K 8-bit, against the CPU SIMD paths on one thread of the same machine in the same run. GPU figures
/// include uploading the frames and reading the results back; the kernels-only columns run on frames already on
/// the device. Without a GPU the suite says so and reports nothing else.
/// </summary>
public sealed class QualityGpuBench : IBenchSuite
{
    public string Name => "quality-gpu";

    public string Description => "SSIM+PSNR and VMAF on the GPU (ILGPU) vs the CPU SIMD paths, 1080p and 4K";

    public int Run(BenchReport report, BenchOptions options)
    {
        string? line = null;
        // AQS_BENCH_GPU=cpu: ILGPU's CPU accelerator on one small size, to check the suite on a machine without a GPU.
        var onCpu = Environment.GetEnvironmentVariable("AQS_BENCH_GPU") == "cpu";
        using var gpu = onCpu ? GpuContext.CreateCpu(l => line = l) : GpuContext.TryCreate(l => line = l);
        var sizes = onCpu ? new[] { (320, 180) } : new[] { (1920, 1080), (3840, 2160) };
        report.Section("Accelerator", line);
        if (gpu is null)
        {
            return 0;
        }
        report.Table("size", "GPU fps (SSIM+PSNR, upload included)", "CPU 1-thread fps (SSIM+PSNR)", "GPU / CPU",
            "GPU kernels + read-back only, fps (frames resident)", "upload of both frames only, fps", "max relative difference GPU vs CPU");
        foreach (var (w, h) in sizes)
        {
            var layout = new FrameLayout(w, h, PixelFormat.Yuv420p);
            var reference = Pattern(layout, 1);
            var distorted = Pattern(layout, 2);
            using var metric = new GpuQualityMetric(gpu, layout);
            var ssim = new SsimMetric(layout);
            var psnr = new PsnrMetric(layout);
            metric.Compute(PlanarFrame.FromPacked(layout, reference), PlanarFrame.FromPacked(layout, distorted), out var gpuSsim, out var gpuPsnr);
            var cpuSsim = ssim.Compute(PlanarFrame.FromPacked(layout, reference), PlanarFrame.FromPacked(layout, distorted));
            var cpuPsnr = psnr.Compute(PlanarFrame.FromPacked(layout, reference), PlanarFrame.FromPacked(layout, distorted));
            var difference = new[]
            {
                Relative(gpuSsim.Y, cpuSsim.Y), Relative(gpuSsim.U, cpuSsim.U), Relative(gpuSsim.V, cpuSsim.V), Relative(gpuSsim.All, cpuSsim.All),
                Relative(gpuPsnr.Y, cpuPsnr.Y), Relative(gpuPsnr.U, cpuPsnr.U), Relative(gpuPsnr.V, cpuPsnr.V), Relative(gpuPsnr.Average, cpuPsnr.Average),
            }.Max();
            var seconds = options.Quick ? 0.5 : 3.0;
            var gpuFps = Fps(seconds, () =>
            {
                metric.Compute(PlanarFrame.FromPacked(layout, reference), PlanarFrame.FromPacked(layout, distorted), out var s, out var p);
                return s.All + p.Average;
            });
            metric.Upload(PlanarFrame.FromPacked(layout, reference), PlanarFrame.FromPacked(layout, distorted));
            var residentFps = Fps(seconds, () =>
            {
                metric.Score(PlanarFrame.FromPacked(layout, reference), PlanarFrame.FromPacked(layout, distorted), out var s, out var p);
                return s.All + p.Average;
            });
            var uploadFps = Fps(seconds, () =>
            {
                metric.Upload(PlanarFrame.FromPacked(layout, reference), PlanarFrame.FromPacked(layout, distorted));
                return 1;
            });
            var cpuFps = Fps(seconds, () =>
                ssim.Compute(PlanarFrame.FromPacked(layout, reference), PlanarFrame.FromPacked(layout, distorted)).All
                + psnr.Compute(PlanarFrame.FromPacked(layout, reference), PlanarFrame.FromPacked(layout, distorted)).Average);
            report.Row($"{w}x{h}", gpuFps, cpuFps, gpuFps / cpuFps, residentFps, uploadFps, difference.ToString("E2", System.Globalization.CultureInfo.InvariantCulture));
        }
        report.Note("Per frame: one upload of each frame (pageable host memory), a memset, three kernel launches each covering all planes: one group of up to 128 threads per row for the squared differences (shared-memory tree, one 64-bit atomic per row), one thread per 4x4 block, one group per row of windows (8 bit: tree in double; 10/12 bit: left-to-right float sum as FFmpeg), and one read-back of the per-row totals. The two uploads are synchronous copies; no wait between the kernels, the read-back waits for them.");
        Vmaf(report, options, gpu, sizes);
        return 0;
    }

    private static void Vmaf(BenchReport report, BenchOptions options, GpuContext gpu, (int, int)[] sizes)
    {
        var model = LoadModel(out var modelNote);
        report.Section("VMAF", modelNote);
        report.Table("size", "GPU fps (pipelined, upload included)", "GPU fps (one frame at a time)", "CPU 1-thread fps (VmafMetric)",
            "GPU pipelined / CPU", "GPU kernels only, fps (frames resident)", "max relative difference of features GPU vs CPU",
            "same, 10-bit frames");
        const int inFlight = 3;
        foreach (var (w, h) in sizes)
        {
            // Two scenes alternate so motion is never zero; the distorted frames are noisy copies.
            var references = new[] { Luma(w, h, 1, 0), Luma(w, h, 2, 3) };
            var distorted = new[] { Noisy(references[0], 3), Noisy(references[1], 4) };
            var seconds = options.Quick ? 0.5 : 3.0;
            var difference = Difference(gpu, model, w, h, 8, references, distorted);
            var difference10 = Difference(gpu, model, w, h, 10, references.Select(Deepen).ToArray(), distorted.Select(Deepen).ToArray());

            using var pipelined = new GpuVmafMetric(gpu, model, w, h, 8, inFlight);
            var frame = 0;
            var pipelinedFps = Fps(seconds, () =>
            {
                pipelined.Submit(references[frame % 2], w, distorted[frame % 2], w);
                frame++;
                return pipelined.TryTakeScore(out _, out var score) ? score : 0;
            }, pipelined.Drain);
            const int rounds = 4;
            var residentFps = Fps(seconds, () =>
            {
                pipelined.RunResident(rounds);
                return 0;
            }, warmUp: 1) * rounds * inFlight;

            using var single = new GpuVmafMetric(gpu, model, w, h, 8, 1);
            var singleFrame = 0;
            var singleFps = Fps(seconds, () =>
            {
                var f = single.ComputeFeatures(references[singleFrame % 2], w, distorted[singleFrame % 2], w);
                singleFrame++;
                return f.Adm2;
            });

            using var cpu = new VmafMetric(model, w, h, 8);
            var cpuFrame = 0;
            var cpuFps = Fps(seconds, () =>
            {
                var f = cpu.ComputeFeatures(references[cpuFrame % 2], w, distorted[cpuFrame % 2], w);
                cpuFrame++;
                return f.Adm2;
            }, warmUp: 2);
            report.Row($"{w}x{h}", pipelinedFps, singleFps, cpuFps, pipelinedFps / cpuFps, residentFps,
                difference.ToString("E2", System.Globalization.CultureInfo.InvariantCulture),
                difference10.ToString("E2", System.Globalization.CultureInfo.InvariantCulture));
        }
        report.Note($"8-bit luma, stride = width. Pipelined: Submit copies both planes into page-locked memory and queues the uploads (reference, distorted, previous reference) and the kernels on one of {inFlight} streams ({inFlight} frames in flight); per frame 4 VIF scales (vertical pass, row pass with 64-bit sums, subsampling), 4 ADM levels (DWT, decouple+CSF, row sums), motion (2 passes) and a read-back of 48 integer totals; Submit waits only for the oldest frame when all slots are busy, and the timing includes finishing every frame. One frame at a time: ComputeFeatures (submit, wait). Kernels only: the same kernels re-run on the frames resident in the {inFlight} slots (no upload, no host work). Features compared on the first 3 frames, 8-bit and (the same pictures shifted left by 2 bits plus low-bit noise) 10-bit.");
    }

    /// <summary>Largest relative difference of the six features, GPU against CPU, over the first 3 frames.</summary>
    private static double Difference(GpuContext gpu, VmafModel model, int w, int h, int bitDepth, byte[][] references, byte[][] distorted)
    {
        var stride = bitDepth > 8 ? 2 * w : w;
        var difference = 0.0;
        using var gpuMetric = new GpuVmafMetric(gpu, model, w, h, bitDepth);
        using var cpuMetric = new VmafMetric(model, w, h, bitDepth);
        for (var i = 0; i < 3; i++)
        {
            var g = gpuMetric.ComputeFeatures(references[i % 2], stride, distorted[i % 2], stride);
            var c = cpuMetric.ComputeFeatures(references[i % 2], stride, distorted[i % 2], stride);
            for (var k = 0; k < 6; k++)
            {
                difference = Math.Max(difference, Relative(Feature(g, k), Feature(c, k)));
            }
        }
        return difference;
    }

    /// <summary>The 8-bit plane as 10-bit little-endian words, with noise in the two new low bits.</summary>
    private static byte[] Deepen(byte[] plane)
    {
        var rng = new Random(plane.Length);
        var result = new byte[plane.Length * 2];
        for (var i = 0; i < plane.Length; i++)
        {
            var v = (plane[i] << 2) | rng.Next(4);
            result[2 * i] = (byte)v;
            result[2 * i + 1] = (byte)(v >> 8);
        }
        return result;
    }

    private static VmafModel LoadModel(out string note)
    {
        if (VmafModel.TryLoad(null, out var model, out var reason))
        {
            note = $"Model: {Path.GetFileName(model!.Path)}.";
            return model;
        }
        // The kernels and their timings do not depend on the model; a one-vector model keeps the suite runnable.
        var path = Path.Combine(Path.GetTempPath(), "aqs-bench-vmaf-model.json");
        File.WriteAllText(path, "{\"model_dict\": {\"feature_names\": [\"VMAF_integer_feature_adm2_score\", \"VMAF_integer_feature_motion2_score\", "
            + "\"VMAF_integer_feature_vif_scale0_score\", \"VMAF_integer_feature_vif_scale1_score\", \"VMAF_integer_feature_vif_scale2_score\", "
            + "\"VMAF_integer_feature_vif_scale3_score\"], \"norm_type\": \"none\", \"model_type\": \"LIBSVMNUSVR\", "
            + "\"model\": \"svm_type nu_svr\\nkernel_type rbf\\ngamma 0.5\\nnr_class 2\\ntotal_sv 1\\nrho -1\\nSV\\n2 1:0 \\n\"}}");
        if (!VmafModel.TryLoad(path, out model, out var fallbackReason))
        {
            throw new InvalidOperationException($"bench: could not load a stand-in VMAF model: {fallbackReason}");
        }
        note = $"vmaf_v0.6.1.json not found ({reason}); scores use a one-vector stand-in model (features and timings do not depend on it).";
        return model!;
    }

    private static double Feature(VmafFeatures f, int k) => k switch
    {
        0 => f.Adm2,
        1 => f.Motion2,
        2 => f.Vif0,
        3 => f.Vif1,
        4 => f.Vif2,
        _ => f.Vif3,
    };

    private static byte[] Luma(int w, int h, int seed, int shift)
    {
        var plane = new byte[w * h];
        var rng = new Random(seed);
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                plane[y * w + x] = (byte)(((x + shift) * 3 + y * 2 + ((x + shift) / 32 + y / 32) % 2 * 60 + rng.Next(8)) & 0xFF);
            }
        }
        return plane;
    }

    private static byte[] Noisy(byte[] plane, int seed)
    {
        var rng = new Random(seed);
        var result = new byte[plane.Length];
        for (var i = 0; i < plane.Length; i++)
        {
            result[i] = (byte)Math.Clamp(plane[i] + rng.Next(-6, 7), 0, 255);
        }
        return result;
    }

    private static double Relative(double a, double b) => Math.Abs(a - b) / Math.Max(Math.Abs(b), 1e-12);

    private static double _sink;

    /// <param name="finish">Run after the warm-up and after the last frame, inside the timing (waits for work in flight).</param>
    private static double Fps(double seconds, Func<double> frame, Action? finish = null, int warmUp = 5)
    {
        for (var i = 0; i < warmUp; i++)
        {
            _sink += frame();
        }
        finish?.Invoke();
        var sw = Stopwatch.StartNew();
        var n = 0;
        while (sw.Elapsed.TotalSeconds < seconds)
        {
            _sink += frame();
            n++;
        }
        finish?.Invoke();
        return n / sw.Elapsed.TotalSeconds;
    }

    private static byte[] Pattern(FrameLayout layout, int seed)
    {
        var frame = new byte[layout.FrameSize];
        var rng = new Random(seed);
        for (var i = 0; i < frame.Length; i++)
        {
            frame[i] = (byte)((i * 7 + (i / layout.Width) * 3 + rng.Next(16)) & 0xFF);
        }
        return frame;
    }
}
