using System.Diagnostics;
using System.Globalization;
using Aqs.Bench.Harness;
using Aqs.Shared.Frames;
using Aqs.Shared.Quality;
using Aqs.Shared.Quality.Vmaf;

namespace Aqs.Bench.Quality;

/// <summary>
/// What Kernel D needs per frame — SSIM, PSNR and the VMAF features (and score) — from <see cref="FrameQualityPass"/>,
/// against the same work done by the tools one after another: FFmpeg's ssim and psnr filters (filter-only CPU time:
/// the filtered run minus the same run without the filter) plus libvmaf's CPU time per frame (<see cref="LibvmafTool"/>:
/// start-up subtracted), all measured in this run, one thread each. Without a vmaf tool the baseline and its ratios
/// are n/a. Runs on reference pair v02 (720p); without ../shared/data the section says why it is skipped.
/// </summary>
internal static class OnePassBench
{
    private const string Pair = "v02_testsrc2_1280x720_crf28";

    public static void Run(BenchReport report, BenchOptions options, string workDir)
    {
        report.Section("One pass: SSIM + PSNR + VMAF (what Kernel D needs)",
            "Ours: FrameQualityPass (SSIM and PSNR from one read of the samples, then the VMAF v0.6.1 features and score of the luma) " +
            "on decoded frames in memory. Baseline: FFmpeg's ssim filter + FFmpeg's psnr filter (filter-only CPU time per frame measured in " +
            "this run, one thread; a difference at or below zero counts as 0, which favours the baseline) + libvmaf's CPU time per frame " +
            "(measured in this run, one thread, its start-up, model loading and first frame subtracted).");
        var data = options.DataDirectory;
        var pairDir = data is null ? null : Path.Combine(data, "quality-reference", "pairs", Pair);
        if (pairDir is null || !Directory.Exists(pairDir))
        {
            report.Note($"Skipped: ../shared/data/quality-reference (pair {Pair}) is not present.");
            return;
        }
        if (!VmafModel.TryLoad(null, out var model, out var reason))
        {
            report.Note($"Skipped: {reason}");
            return;
        }
        var libvmaf = LibvmafTool.Find();

        var refY4m = Path.Combine(workDir, "v02_ref.y4m");
        var distY4m = Path.Combine(workDir, "v02_dist.y4m");
        if (!File.Exists(refY4m) || !File.Exists(distY4m))
        {
            QualityBench.Ffmpeg(workDir, "-y", "-i", Path.Combine(pairDir, "ref.mkv"), "-f", "yuv4mpegpipe", refY4m);
            QualityBench.Ffmpeg(workDir, "-y", "-i", Path.Combine(pairDir, "dist.mkv"), "-f", "yuv4mpegpipe", distY4m);
        }
        var reference = Y4mClip.Load(refY4m);
        var distorted = Y4mClip.Load(distY4m);
        var layout = reference.Layout;
        var loops = options.Quick ? 1 : 10;
        var repeats = options.Quick ? 1 : 3;
        var ffFrames = reference.Frames.Count * loops;

        var cores = Environment.ProcessorCount;
        var onePassAllCores = new List<double>();
        var onePassOneThreadWall = new List<double>();
        var onePass = new List<double>();
        var separate = new List<double>();
        var ssimFf = new List<double>();
        var psnrFf = new List<double>();
        var floorFf = new List<double>();
        for (var r = 0; r < repeats; r++)
        {
            onePass.Add(OursCpuMsPerFrame(layout, model!, reference, distorted, loops, fused: true));
            onePassAllCores.Add(OursWallMsPerFrame(layout, model!, reference, distorted, loops, cores));
            onePassOneThreadWall.Add(OursWallMsPerFrame(layout, model!, reference, distorted, loops, 1));
            separate.Add(OursCpuMsPerFrame(layout, model!, reference, distorted, loops, fused: false));
            ssimFf.Add(QualityBench.FfmpegSeconds(workDir, distY4m, refY4m, loops, threaded: false, "[0:v][1:v]ssim").Cpu);
            psnrFf.Add(QualityBench.FfmpegSeconds(workDir, distY4m, refY4m, loops, threaded: false, "[0:v][1:v]psnr").Cpu);
            floorFf.Add(QualityBench.FfmpegSeconds(workDir, distY4m, refY4m, loops, threaded: false, null).Cpu);
        }
        var floor = QualityBench.Median(floorFf);
        var ssimMs = Math.Max(0, QualityBench.Median(ssimFf) - floor) / ffFrames * 1000;
        var psnrMs = Math.Max(0, QualityBench.Median(psnrFf) - floor) / ffFrames * 1000;
        var vmafMs = libvmaf?.PerFrame(refY4m, distY4m, reference.Frames.Count, model!.Path, repeats).CpuMs;
        var baseline = ssimMs + psnrMs + vmafMs;
        var ours = QualityBench.Median(onePass);
        var oursSeparate = QualityBench.Median(separate);

        report.Note($"Pair {Pair}: {layout.Width}x{layout.Height} {layout.Format.FfmpegName()}, {reference.Frames.Count} frames; ours {loops} passes, " +
                    $"FFmpeg on the y4m files looped {loops} times; medians of {repeats} runs; CPU time of one thread.");
        report.Table("work per frame", "ms CPU / frame", "source");
        report.Row("FFmpeg ssim filter", ssimMs, "measured now (filtered run − no-filter run)");
        report.Row("FFmpeg psnr filter", psnrMs, "measured now (filtered run − no-filter run)");
        report.Row("libvmaf v0.6.1, 1 thread", (object?)vmafMs ?? "n/a", LibvmafTool.Describe(libvmaf));
        report.Row("baseline: the three one after another", (object?)baseline ?? "n/a", "sum");
        report.Row("ours: SsimMetric, PsnrMetric, VmafMetric one after another", oursSeparate, "measured now");
        report.Row("ours: FrameQualityPass (one pass)", ours, "measured now");
        var allCores = QualityBench.Median(onePassAllCores);
        var oneThreadWall = QualityBench.Median(onePassOneThreadWall);
        report.Row("ours: FrameQualityPass, one thread (wall ms / frame, fastest pass)", oneThreadWall, "measured now");
        report.Row($"ours: FrameQualityPass, VMAF on {cores} threads (wall ms / frame, fastest pass)", allCores, "measured now");
        report.Table("ratio", "value", "goal");
        report.Row("baseline / ours one pass, one thread, CPU time (speed-up)", (object?)(baseline / ours) ?? "n/a", "≥ 1.5");
        report.Row($"baseline (one thread each, CPU time) / ours one pass on {cores} threads (wall)", (object?)(baseline / allCores) ?? "n/a", "≥ 1.5 (ours may use every core; the tools' figures are one thread)");
        report.Row($"ours one thread / ours on {cores} threads (wall, fastest passes)", oneThreadWall / allCores, "");
        report.Row("ours separate / ours one pass (what fusing saves)", oursSeparate / ours, "");
    }

    /// <summary>Process CPU ms per frame of one thread scoring every frame, after a warm-up.</summary>
    private static double OursCpuMsPerFrame(FrameLayout layout, VmafModel model, Y4mClip reference, Y4mClip distorted, int loops, bool fused)
    {
        Score(layout, model, reference, distorted, 1, fused);
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        Score(layout, model, reference, distorted, loops, fused);
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds;
        return cpu / (reference.Frames.Count * loops);
    }

    /// <summary>Wall ms per frame of the one pass with VMAF spread over <paramref name="threads"/> threads.</summary>
    private static double OursWallMsPerFrame(FrameLayout layout, VmafModel model, Y4mClip reference, Y4mClip distorted, int loops, int threads)
    {
        using var pass = new FrameQualityPass(layout, model, vmafThreads: threads);
        var best = double.MaxValue;
        for (var loop = 0; loop <= loops; loop++)
        {
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < reference.Frames.Count; i++)
            {
                var q = pass.Compute(PlanarFrame.FromPacked(layout, reference.Frames[i]), PlanarFrame.FromPacked(layout, distorted.Frames[i]));
                _sink += q.Ssim.All;
            }
            // The first loop warms up the JIT and the worker threads.
            if (loop > 0)
            {
                best = Math.Min(best, sw.Elapsed.TotalMilliseconds / reference.Frames.Count);
            }
        }
        return best;
    }

    private static double _sink;

    private static void Score(FrameLayout layout, VmafModel model, Y4mClip reference, Y4mClip distorted, int loops, bool fused)
    {
        for (var loop = 0; loop < loops; loop++)
        {
            // A new sequence per loop, as the tools see each loop's frames as one clip.
            using var pass = new FrameQualityPass(layout, model);
            var ssim = new SsimMetric(layout);
            var psnr = new PsnrMetric(layout);
            using var vmaf = new VmafMetric(model, layout.Width, layout.Height, layout.Format.BitDepth());
            for (var i = 0; i < reference.Frames.Count; i++)
            {
                var r = PlanarFrame.FromPacked(layout, reference.Frames[i]);
                var d = PlanarFrame.FromPacked(layout, distorted.Frames[i]);
                if (fused)
                {
                    var q = pass.Compute(r, d);
                    _sink += q.Ssim.All + q.Psnr.Average;
                }
                else
                {
                    _sink += ssim.Compute(r, d).All + psnr.Compute(r, d).Average;
                    vmaf.ComputeFeatures(r.Plane0, r.Stride0, d.Plane0, d.Stride0);
                }
            }
            var metric = fused ? pass.Vmaf! : vmaf;
            metric.Flush();
            _sink += metric.PooledMean;
        }
    }
}
