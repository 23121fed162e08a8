using System.Diagnostics;
using System.Globalization;
using Aqs.Bench.Harness;
using Aqs.Shared.Frames;
using Aqs.Shared.Quality;

namespace Aqs.Bench.Quality;

/// <summary>
/// Our SSIM and PSNR against FFmpeg's <c>ssim</c> and <c>psnr</c> filters on one 1080p pair (testsrc2, 8-bit 4:2:0,
/// distorted = x264 CRF 35 re-decoded), single-thread and all-core, measured in the same run.
/// <para>
/// Fairness: FFmpeg reads the pair as y4m (no decoding), looped with <c>-stream_loop</c> so start-up is a small share;
/// its cost of reading and passing frames is measured by the same command with no filter (<c>-map 0:v -map 1:v</c>)
/// and subtracted to give a filter-only rate. Our figures are the metric alone, on frames already in memory.
/// Both raw and filter-only FFmpeg rates are reported.
/// </para>
/// </summary>
public sealed class QualityBench : IBenchSuite
{
    public string Name => "quality";

    public string Description => "SSIM / PSNR vs ffmpeg's ssim/psnr filters, 1080p, 1 thread and all cores; one pass SSIM+PSNR+VMAF vs the tools one after another";

    public int Run(BenchReport report, BenchOptions options)
    {
        var frames = options.Quick ? 20 : 120;
        var loops = options.Quick ? 1 : 4;
        var repeats = options.Quick ? 1 : 3;
        var dir = Path.Combine(RepositoryPaths.Root, "artifacts", "bench-quality");
        Directory.CreateDirectory(dir);
        var refPath = Path.Combine(dir, $"ref_1080p_{frames}.y4m");
        var distPath = Path.Combine(dir, $"dist_1080p_{frames}.y4m");
        if (!File.Exists(refPath) || !File.Exists(distPath))
        {
            Ffmpeg(dir, "-y", "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30", "-frames:v", Str(frames), "-pix_fmt", "yuv420p", "-f", "yuv4mpegpipe", refPath);
            var mkv = Path.Combine(dir, "dist.mkv");
            Ffmpeg(dir, "-y", "-i", refPath, "-c:v", "libx264", "-preset", "veryfast", "-crf", "35", "-pix_fmt", "yuv420p", "-an", mkv);
            Ffmpeg(dir, "-y", "-i", mkv, "-pix_fmt", "yuv420p", "-f", "yuv4mpegpipe", distPath);
        }
        var reference = Y4mClip.Load(refPath);
        var distorted = Y4mClip.Load(distPath);
        var layout = reference.Layout;
        var ffFrames = frames * loops;
        var cores = Environment.ProcessorCount;

        report.Section("Pair", $"testsrc2 {layout.Width}x{layout.Height} yuv420p, {frames} frames; distorted = libx264 -preset veryfast -crf 35, decoded to y4m. " +
            $"FFmpeg runs on the y4m files looped to {ffFrames} frames (`-stream_loop {loops - 1}`); ours on the {frames} frames in memory, {loops} passes. " +
            $"Each figure is the median of {repeats} runs, ours and FFmpeg's taken in turn. Load average at the start: {BenchReport.LoadAverage().ToString("F1", CultureInfo.InvariantCulture)} " +
            "(other jobs share the machine; FFmpeg's filter-only figures are the difference of two wall or CPU times and can swing widely, even below zero, when it is busy).");

        var cpuRows = new List<(string Mode, string Metric, double Ours, double Ffmpeg)>();
        foreach (var (label, threaded) in new[] { ("single thread", false), ($"all cores ({cores})", true) })
        {
            report.Section($"CPU, {label}",
                threaded
                    ? "FFmpeg with its default threading (frame and slice threads); ours: one metric object per core, frames shared out."
                    : "FFmpeg with `-threads 1` per input and `-filter_threads 1`; ours on one thread.");
            report.Table("metric", "ours fps", "ffmpeg fps (raw)", "ffmpeg fps (filter only)", "ours / ffmpeg raw", "ours / ffmpeg filter only");
            foreach (var metric in new[] { "ssim", "psnr" })
            {
                var ours = new List<double>();
                var oursCpu = new List<double>();
                var filter = new List<double>();
                var floor = new List<double>();
                var filterCpu = new List<double>();
                var floorCpu = new List<double>();
                for (var r = 0; r < repeats; r++)
                {
                    var (fps, cpuPerFrame) = OursFps(metric, reference, distorted, loops, threaded ? cores : 1);
                    ours.Add(fps);
                    oursCpu.Add(cpuPerFrame);
                    var f = FfmpegSeconds(dir, distPath, refPath, loops, threaded, $"[0:v][1:v]{metric}");
                    var g = FfmpegSeconds(dir, distPath, refPath, loops, threaded, null);
                    filter.Add(f.Wall);
                    floor.Add(g.Wall);
                    filterCpu.Add(f.Cpu);
                    floorCpu.Add(g.Cpu);
                }
                var oursFps = Median(ours);
                var ffRaw = ffFrames / Median(filter);
                var filterOnly = Median(filter) - Median(floor);
                // On a busy machine the floor can exceed the filtered run; then no filter-only figure is given.
                object ffFilter = filterOnly > 0 ? ffFrames / filterOnly : "n/a (below noise)";
                object ratioFilter = filterOnly > 0 ? oursFps / (ffFrames / filterOnly) : "n/a";
                // CPU time is far less disturbed by other jobs than wall time: ms of CPU per frame, filter only.
                var ffCpuMs = (Median(filterCpu) - Median(floorCpu)) / ffFrames * 1000;
                var oursCpuMs = Median(oursCpu) * 1000;
                cpuRows.Add((label, metric.ToUpperInvariant(), oursCpuMs, ffCpuMs));
                report.Row(metric.ToUpperInvariant(), oursFps, ffRaw, ffFilter, oursFps / ffRaw, ratioFilter);
            }
        }
        report.Section("CPU time per frame", "CPU seconds (user + system) of the whole process: ours around the metric calls only; FFmpeg's filtered run minus its no-filter run (reading y4m, syncing inputs, start-up). Less sensitive to other jobs on the machine than wall time.");
        report.Table("mode", "metric", "ours ms CPU / frame", "ffmpeg filter ms CPU / frame", "ffmpeg / ours (speed-up)");
        foreach (var (mode, metric, oursMs, ffMs) in cpuRows)
        {
            // A difference of two CPU times at or below zero is below the noise of a busy machine: no figure.
            report.Row(mode, metric, oursMs, ffMs > 0 ? ffMs : "n/a (below noise)", ffMs > 0 ? ffMs / oursMs : "n/a");
        }
        report.Note($"Load average at the end: {BenchReport.LoadAverage().ToString("F1", CultureInfo.InvariantCulture)}.");
        OnePassBench.Run(report, options, dir);
        return 0;
    }

    private static (double Fps, double CpuPerFrame) OursFps(string metric, Y4mClip reference, Y4mClip distorted, int loops, int threads)
    {
        var layout = reference.Layout;
        var count = reference.Frames.Count;
        var total = count * loops;
        // Warm-up: at least 60 frames and half a second, so tiered JIT has settled before timing.
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed.TotalSeconds < 0.5)
        {
            Score(metric, layout, reference, distorted, 0, 60, 1);
        }
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        if (threads == 1)
        {
            Score(metric, layout, reference, distorted, 0, total, 1);
        }
        else
        {
            var next = -1;
            var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
            {
                var ssim = new SsimMetric(layout);
                var psnr = new PsnrMetric(layout);
                int i;
                while ((i = Interlocked.Increment(ref next)) < total)
                {
                    One(metric, ssim, psnr, layout, reference.Frames[i % count], distorted.Frames[i % count]);
                }
            })).ToList();
            workers.ForEach(w => w.Start());
            workers.ForEach(w => w.Join());
        }
        var wall = sw.Elapsed.TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        return (total / wall, cpu / total);
    }

    private static double _sink;

    internal static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static void Score(string metric, FrameLayout layout, Y4mClip reference, Y4mClip distorted, int from, int to, int threads)
    {
        var ssim = new SsimMetric(layout);
        var psnr = new PsnrMetric(layout);
        var count = reference.Frames.Count;
        for (var i = from; i < to; i++)
        {
            One(metric, ssim, psnr, layout, reference.Frames[i % count], distorted.Frames[i % count]);
        }
    }

    private static void One(string metric, SsimMetric ssim, PsnrMetric psnr, FrameLayout layout, byte[] r, byte[] d)
    {
        var rf = PlanarFrame.FromPacked(layout, r);
        var df = PlanarFrame.FromPacked(layout, d);
        _sink += metric == "ssim" ? ssim.Compute(rf, df).All : psnr.Compute(rf, df).Average;
    }

    internal static (double Wall, double Cpu) FfmpegSeconds(string dir, string dist, string reference, int loops, bool threaded, string? filter)
    {
        var args = new List<string>();
        string[] perInput = threaded ? [] : ["-threads", "1"];
        args.AddRange([.. perInput, "-stream_loop", Str(loops - 1), "-i", dist, .. perInput, "-stream_loop", Str(loops - 1), "-i", reference]);
        if (!threaded)
        {
            args.AddRange(["-filter_threads", "1"]);
        }
        if (filter is null)
        {
            args.AddRange(["-map", "0:v", "-map", "1:v"]);
        }
        else
        {
            args.AddRange(["-lavfi", filter]);
        }
        args.AddRange(["-f", "null", "-"]);
        var sw = Stopwatch.StartNew();
        var cpu = Ffmpeg(dir, [.. args]);
        return (sw.Elapsed.TotalSeconds, cpu);
    }

    /// <summary>Runs ffmpeg; returns its CPU seconds (user + system).</summary>
    internal static double Ffmpeg(string dir, params string[] args)
    {
        var psi = new ProcessStartInfo("ffmpeg") { WorkingDirectory = dir, RedirectStandardError = true, RedirectStandardOutput = true };
        // -benchmark prints "bench: utime=…s stime=…s rtime=…s" at info level: ffmpeg's own CPU time.
        foreach (var a in (string[])["-nostdin", "-hide_banner", "-loglevel", "info", "-benchmark", .. args])
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start ffmpeg");
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg {string.Join(' ', args)} failed: {err.Result}");
        }
        var bench = err.Result.Split('\n').LastOrDefault(l => l.StartsWith("bench: utime=", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"ffmpeg printed no -benchmark line: {err.Result}");
        var fields = bench.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(f => f.Split('=')).Where(kv => kv.Length == 2)
            .ToDictionary(kv => kv[0], kv => double.Parse(kv[1].TrimEnd('s'), CultureInfo.InvariantCulture));
        return fields["utime"] + fields["stime"];
    }

    private static string Str(int v) => v.ToString(CultureInfo.InvariantCulture);
}
