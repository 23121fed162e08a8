using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Aqs.Bench.Harness;
using Aqs.Bench.Sources;
using Aqs.Shared.Quality.Vmaf;

namespace Aqs.Bench.Quality;

/// <summary>
/// <c>aqs bench vmaf</c>: frames/s of our VMAF (vmaf_v0.6.1, libvmaf integer features) on a 720p and a 1080p pair,
/// on one thread and on all cores, with the cost of each stage (VIF, ADM, motion) in thread CPU time for the SIMD
/// path and for its scalar twin (the in-run baseline). libvmaf is measured in the same run when a <c>vmaf</c> tool is
/// here (<see cref="LibvmafTool"/>: CPU time per frame with its start-up subtracted, like ours); without one its
/// column and the ratio are n/a. The pairs are made with ffmpeg (testsrc2, x264 CRF 28, as reference pair v02) and
/// decoded to raw planes first, so decoding is outside our timings.
/// </summary>
public sealed class VmafBench : IBenchSuite
{
    public string Name => "vmaf";

    public string Description => "our VMAF v0.6.1 frames/s (one thread, all cores) and per-stage ms at 720p and 1080p vs libvmaf";

    public int Run(BenchReport report, BenchOptions options)
    {
        if (!VmafModel.TryLoad(null, out var model, out var reason))
        {
            report.Section("VMAF", reason);
            return 0;
        }
        var frames = options.Quick ? 6 : 30;
        var repeats = options.Quick ? 1 : 3;
        var stageFrames = options.Quick ? 3 : 10;
        var cores = Environment.ProcessorCount;
        var libvmaf = LibvmafTool.Find();
        var work = Path.Combine(Path.GetTempPath(), "aqs-vmaf-bench-" + Environment.ProcessId);
        Directory.CreateDirectory(work);
        var throughput = new List<object[]>();
        var stageRows = new List<object[]>();
        var vifRows = new List<object[]>();
        try
        {
            foreach (var (w, h) in new[] { (1280, 720), (1920, 1080) })
            {
                var (refMkv, disMkv) = MakePair(work, w, h, frames);
                var refRaw = Decode(refMkv, work, "ref");
                var disRaw = Decode(disMkv, work, "dis");
                RunOurs(model!, w, h, Math.Min(frames, 4), refRaw, disRaw, 1); // JIT warm-up (tiered compilation)
                RunOurs(model!, w, h, Math.Min(frames, 4), refRaw, disRaw, cores);
                var one = Best(repeats, () => RunOurs(model!, w, h, frames, refRaw, disRaw, 1));
                var oneCpu = Best(repeats, () => CpuSeconds(() => RunOurs(model!, w, h, frames, refRaw, disRaw, 1)));
                var all = Best(repeats, () => RunOurs(model!, w, h, frames, refRaw, disRaw, cores));
                var simd = Stages(w, h, refRaw, disRaw, stageFrames, simd: true);
                var scalar = Stages(w, h, refRaw, disRaw, stageFrames, simd: false);
                var parts = VifParts(w, h, refRaw, disRaw, stageFrames, wide: true);
                var parts256 = VifParts(w, h, refRaw, disRaw, stageFrames, wide: false);
                vifRows.Add([$"{w}x{h}", parts.Statistic0, parts256.Statistic0, parts.Subsample0, parts.Coarse]);
                stageRows.Add([$"{w}x{h}", simd.Vif, simd.Adm, simd.Motion, simd.Vif + simd.Adm + simd.Motion,
                    scalar.Vif, scalar.Adm, scalar.Motion, Ratio(scalar.Vif, simd.Vif), Ratio(scalar.Motion, simd.Motion)]);

                string theirs = "n/a", theirsWall = "n/a", ratio = "n/a";
                if (libvmaf is not null)
                {
                    var refY4m = ToY4m(refMkv, work, "ref");
                    var disY4m = ToY4m(disMkv, work, "dis");
                    var (cpuMs, wallMs) = libvmaf.PerFrame(refY4m, disY4m, frames, model!.Path, repeats);
                    theirs = F(1000 / cpuMs);
                    theirsWall = F(1000 / wallMs);
                    ratio = Ratio(frames / oneCpu, 1000 / cpuMs);
                }
                throughput.Add([$"{w}x{h}", frames / one, frames / oneCpu, frames / all, Ratio(one, all), theirsWall, theirs, ratio]);
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }

        report.Section("Throughput",
            $"{frames} frames per pair, best of {repeats} runs after a warm-up; our figures exclude decoding (raw planes in memory). " +
            "The CPU-time column (process CPU seconds of the one-thread run) is the steadier one where other work shares the machine. " +
            $"All-core runs `new VmafMetric(..., threads: {cores})` (ADM, motion and VIF row bands in parallel). " +
            $"{LibvmafTool.Describe(libvmaf)}; its figures have its start-up, model loading and first frame subtracted (a run on every frame " +
            "minus a run on the first), so both sides count the same per-frame work; libvmaf still reads its y4m frames, a page-cache copy. " +
            "The ratio is of CPU time, one thread each.");
        report.Table("pair", "one thread fps (wall)", "one thread fps (CPU time)", $"all cores ({cores}) fps (wall)",
            "all-core / one-thread (wall)", "libvmaf 1 thread fps (wall)", "libvmaf 1 thread fps (CPU time)", "ours / libvmaf (CPU time, goal >= 1)");
        foreach (var row in throughput)
        {
            report.Row(row);
        }
        report.Note("All-core figures need idle cores: where the load average is above the core count the worker threads wait " +
                    "for a core while the caller waits for them, and all-core can be slower than one thread.");
        report.Section("Per-stage cost, one thread",
            $"ms per frame of thread CPU time (CLOCK_THREAD_CPUTIME_ID), best of {stageFrames} frames, 8-bit. The scalar columns are the " +
            "bit-exact scalar twin of the same code, measured in this run as the baseline of the SIMD path.");
        report.Table("pair", "VIF ms", "ADM ms", "motion ms", "sum ms", "scalar VIF ms", "scalar ADM ms", "scalar motion ms",
            "VIF speed-up", "motion speed-up");
        foreach (var row in stageRows)
        {
            report.Row(row);
        }

        report.Section("VIF by part, one thread", "Same clock; SIMD path. Scale-0 statistic and subsample are what the all-core mode splits into row bands.");
        report.Table("pair", "scale-0 statistic ms", "same, AVX2 only ms", "scale-0 subsample ms", "scales 1..3 ms");
        foreach (var row in vifRows)
        {
            report.Row(row);
        }
        return 0;
    }

    private static double RunOurs(VmafModel model, int w, int h, int frames, byte[] refRaw, byte[] disRaw, int threads)
    {
        var frameBytes = w * h * 3 / 2;
        using var metric = new VmafMetric(model, w, h, 8, threads);
        var sw = Stopwatch.StartNew();
        for (var f = 0; f < frames; f++)
        {
            metric.ComputeFeatures(refRaw.AsSpan(f * frameBytes, w * h), w, disRaw.AsSpan(f * frameBytes, w * h), w);
            while (metric.TryTakeScore(out _, out _))
            {
            }
        }
        metric.Flush();
        return sw.Elapsed.TotalSeconds;
    }

    /// <summary>VIF's parts, SIMD: scale-0 statistic, scale-0 subsample, scales 1..3 (thread CPU ms, best frame).</summary>
    private static (double Statistic0, double Subsample0, double Coarse) VifParts(int w, int h, byte[] refRaw, byte[] disRaw, int frames, bool wide)
    {
        var frameBytes = w * h * 3 / 2;
        var available = refRaw.Length / frameBytes;
        var vif = new IntegerVif(w, h, 8, simd: true, wide: wide);
        var r = new ushort[w * h];
        var d = new ushort[w * h];
        var scores = new double[4];
        double ts = double.MaxValue, tu = double.MaxValue, tc = double.MaxValue;
        for (var f = 0; f <= frames; f++)
        {
            var at = f % available * frameBytes;
            for (var i = 0; i < w * h; i++)
            {
                r[i] = refRaw[at + i];
                d[i] = disRaw[at + i];
            }
            var t0 = ThreadCpuClock.NowSeconds;
            vif.StatisticRows(r, d, w, h, 0, 0, h);
            var t1 = ThreadCpuClock.NowSeconds;
            vif.SubsampleRows(r, d, w, h, 0, 0, h / 2, vif.HalfReference, vif.HalfDistorted);
            var t2 = ThreadCpuClock.NowSeconds;
            vif.ComputeCoarseScales(scores);
            var t3 = ThreadCpuClock.NowSeconds;
            if (f > 0)
            {
                ts = Math.Min(ts, (t1 - t0) * 1e3);
                tu = Math.Min(tu, (t2 - t1) * 1e3);
                tc = Math.Min(tc, (t3 - t2) * 1e3);
            }
        }
        return (ts, tu, tc);
    }

    private static (double Vif, double Adm, double Motion) Stages(int w, int h, byte[] refRaw, byte[] disRaw, int frames, bool simd)
    {
        var frameBytes = w * h * 3 / 2;
        var available = refRaw.Length / frameBytes;
        var vif = new IntegerVif(w, h, 8, simd);
        var adm = new IntegerAdm(w, h, 8, simd);
        var motion = new IntegerMotion(w, h, 8, simd);
        var r = new ushort[w * h];
        var d = new ushort[w * h];
        var p = new ushort[w * h];
        var scores = new double[4];
        double tv = double.MaxValue, ta = double.MaxValue, tm = double.MaxValue;
        // One extra leading frame warms the JIT and fills the previous frame for motion.
        for (var f = 0; f <= frames; f++)
        {
            var at = f % available * frameBytes;
            for (var i = 0; i < w * h; i++)
            {
                p[i] = r[i];
                r[i] = refRaw[at + i];
                d[i] = disRaw[at + i];
            }
            var t0 = ThreadCpuClock.NowSeconds;
            vif.Compute(r, d, scores);
            var t1 = ThreadCpuClock.NowSeconds;
            adm.Compute(r, d);
            var t2 = ThreadCpuClock.NowSeconds;
            motion.Score(p, r);
            var t3 = ThreadCpuClock.NowSeconds;
            if (f > 0)
            {
                tv = Math.Min(tv, (t1 - t0) * 1e3);
                ta = Math.Min(ta, (t2 - t1) * 1e3);
                tm = Math.Min(tm, (t3 - t2) * 1e3);
            }
        }
        return (tv, ta, tm);
    }

    private static string F(double v) => v.ToString("F1", CultureInfo.InvariantCulture);

    private static string Ratio(double a, double b) => (a / b).ToString("F2", CultureInfo.InvariantCulture);

    private static double CpuSeconds(Action run)
    {
        var before = Process.GetCurrentProcess().TotalProcessorTime;
        run();
        return (Process.GetCurrentProcess().TotalProcessorTime - before).TotalSeconds;
    }

    private static double Best(int repeats, Func<double> run)
    {
        var best = double.MaxValue;
        for (var i = 0; i < repeats; i++)
        {
            best = Math.Min(best, run());
        }
        return best;
    }

    private static (string Ref, string Dis) MakePair(string work, int w, int h, int frames)
    {
        var refMkv = Path.Combine(work, $"ref_{w}x{h}.mkv");
        var disMkv = Path.Combine(work, $"dis_{w}x{h}.mkv");
        Ffmpeg("-f", "lavfi", "-i", $"testsrc2=size={w}x{h}:rate=30", "-frames:v", frames.ToString(CultureInfo.InvariantCulture),
            "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0", refMkv);
        Ffmpeg("-i", refMkv, "-c:v", "libx264", "-preset", "veryfast", "-crf", "28", "-pix_fmt", "yuv420p", disMkv);
        return (refMkv, disMkv);
    }

    private static string ToY4m(string mkv, string work, string name)
    {
        var y4m = Path.Combine(work, name + Path.GetFileNameWithoutExtension(mkv) + ".y4m");
        Ffmpeg("-i", mkv, "-f", "yuv4mpegpipe", "-pix_fmt", "yuv420p", y4m);
        return y4m;
    }

    private static byte[] Decode(string mkv, string work, string name)
    {
        var raw = Path.Combine(work, name + ".yuv");
        Ffmpeg("-i", mkv, "-f", "rawvideo", "-pix_fmt", "yuv420p", raw);
        var bytes = File.ReadAllBytes(raw);
        File.Delete(raw);
        return bytes;
    }

    private static void Ffmpeg(params string[] args) => Capture(["-nostdin", "-v", "error", "-y", .. args]);

    private static string Capture(params string[] args)
    {
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg {string.Join(' ', args)} failed: {err.Result.Trim()}");
        }
        return output;
    }
}
