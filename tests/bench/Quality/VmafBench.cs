using System.Diagnostics;
using System.Globalization;
using Aqs.Bench.Harness;
using Aqs.Shared.Quality.Vmaf;

namespace Aqs.Bench.Quality;

/// <summary>
/// <c>aqs bench vmaf</c>: frames/s of our VMAF (vmaf_v0.6.1, libvmaf integer features, one thread) on a 720p and a
/// 1080p pair, against libvmaf run through <c>ffmpeg -lavfi libvmaf</c> in the same run when this ffmpeg has it.
/// The pairs are made here with ffmpeg (testsrc2, x264 CRF 28, as reference pair v02) and decoded to raw planes first,
/// so decoding is outside both timings... except ffmpeg's, which must decode; its decode-only time is measured too.
/// </summary>
public sealed class VmafBench : IBenchSuite
{
    public string Name => "vmaf";

    public string Description => "our VMAF v0.6.1 frames/s at 720p and 1080p vs libvmaf (ffmpeg -lavfi libvmaf) when available";

    public int Run(BenchReport report, BenchOptions options)
    {
        if (!VmafModel.TryLoad(null, out var model, out var reason))
        {
            report.Section("VMAF", reason);
            return 0;
        }
        var frames = options.Quick ? 6 : 30;
        var repeats = options.Quick ? 1 : 3;
        var libvmaf = FfmpegHasLibvmaf();
        var work = Path.Combine(Path.GetTempPath(), "aqs-vmaf-bench-" + Environment.ProcessId);
        Directory.CreateDirectory(work);
        try
        {
            report.Section("Throughput, one thread",
                $"{frames} frames per pair, best of {repeats} runs after a warm-up; our figures exclude decoding (raw planes in memory). " +
                $"Load average at start: {LoadAverage()} on {Environment.ProcessorCount} cores. " +
                "Per-stage columns are ms per frame of our code (wall, best frame). On a shared, overloaded machine the CPU-time " +
                "column (process CPU seconds of the single-threaded run) is the steadier figure.");
            report.Table("pair", "ours fps (wall)", "ours fps (CPU time)", "VIF ms", "ADM ms", "motion ms", "libvmaf fps (ffmpeg)", "ours / libvmaf");
            foreach (var (w, h) in new[] { (1280, 720), (1920, 1080) })
            {
                var (refMkv, disMkv) = MakePair(work, w, h, frames);
                var refRaw = Decode(refMkv, work, "ref");
                var disRaw = Decode(disMkv, work, "dis");
                RunOurs(model!, w, h, Math.Min(frames, 4), refRaw, disRaw); // JIT warm-up (tiered compilation)
                var ours = Best(repeats, () => RunOurs(model!, w, h, frames, refRaw, disRaw));
                var oursCpu = Best(repeats, () => CpuSeconds(() => RunOurs(model!, w, h, frames, refRaw, disRaw)));
                var stages = Stages(w, h, refRaw, disRaw, Math.Min(frames, 5));
                string theirs = "n/a", ratio = "n/a";
                if (libvmaf)
                {
                    var seconds = Best(repeats, () => RunFfmpegLibvmaf(refMkv, disMkv, model!.Path));
                    var decodeOnly = Best(repeats, () => RunFfmpegDecodeOnly(refMkv, disMkv));
                    var fps = frames / Math.Max(seconds - decodeOnly, 1e-6);
                    theirs = fps.ToString("F1", CultureInfo.InvariantCulture);
                    ratio = (frames / ours / fps).ToString("F2", CultureInfo.InvariantCulture);
                }
                report.Row($"{w}x{h}", frames / ours, frames / oursCpu, stages.Vif, stages.Adm, stages.Motion, theirs, ratio);
            }
            if (!libvmaf)
            {
                report.Note("libvmaf baseline: NOT MEASURED. This machine's ffmpeg has no libvmaf filter (`ffmpeg -filters` lists only " +
                            "`vmafmotion`) and no `vmaf` tool is installed, so no ratio can be given. For context only (not a baseline, " +
                            "other run and machine): ../shared/data/quality-reference/README.md reports the `vmaf` tool (libvmaf 3.2.0, " +
                            "AVX2) at about 98 frames/s on its 720p pair v02 with one thread, start-up and y4m reading included.");
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
        return 0;
    }

    private static double RunOurs(VmafModel model, int w, int h, int frames, byte[] refRaw, byte[] disRaw)
    {
        var frameBytes = w * h * 3 / 2;
        var sw = Stopwatch.StartNew();
        using var metric = new VmafMetric(model, w, h, 8);
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

    private static (double Vif, double Adm, double Motion) Stages(int w, int h, byte[] refRaw, byte[] disRaw, int frames)
    {
        var frameBytes = w * h * 3 / 2;
        var vif = new IntegerVif(w, h, 8, simd: true);
        var adm = new IntegerAdm(w, h, 8, simd: true);
        var motion = new IntegerMotion(w, h, 8, simd: true);
        var r = new ushort[w * h];
        var d = new ushort[w * h];
        var p = new ushort[w * h];
        var scores = new double[4];
        double tv = double.MaxValue, ta = double.MaxValue, tm = double.MaxValue;
        for (var f = 0; f < frames; f++)
        {
            for (var i = 0; i < w * h; i++)
            {
                p[i] = r[i];
                r[i] = refRaw[f * frameBytes + i];
                d[i] = disRaw[f * frameBytes + i];
            }
            var sw = Stopwatch.StartNew();
            vif.Compute(r, d, scores);
            tv = Math.Min(tv, sw.Elapsed.TotalMilliseconds);
            sw.Restart();
            adm.Compute(r, d);
            ta = Math.Min(ta, sw.Elapsed.TotalMilliseconds);
            sw.Restart();
            motion.Score(p, r);
            tm = Math.Min(tm, sw.Elapsed.TotalMilliseconds);
        }
        return (tv, ta, tm);
    }

    private static double CpuSeconds(Action run)
    {
        var before = Process.GetCurrentProcess().TotalProcessorTime;
        run();
        return (Process.GetCurrentProcess().TotalProcessorTime - before).TotalSeconds;
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "unknown";
        }
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

    private static byte[] Decode(string mkv, string work, string name)
    {
        var raw = Path.Combine(work, name + ".yuv");
        Ffmpeg("-i", mkv, "-f", "rawvideo", "-pix_fmt", "yuv420p", raw);
        var bytes = File.ReadAllBytes(raw);
        File.Delete(raw);
        return bytes;
    }

    private static double RunFfmpegLibvmaf(string refMkv, string disMkv, string modelPath)
    {
        var sw = Stopwatch.StartNew();
        Ffmpeg("-threads", "1", "-i", disMkv, "-threads", "1", "-i", refMkv, "-filter_threads", "1",
            "-lavfi", $"[0:v][1:v]libvmaf=model=path={modelPath}:n_threads=1", "-f", "null", "-");
        return sw.Elapsed.TotalSeconds;
    }

    private static double RunFfmpegDecodeOnly(string refMkv, string disMkv)
    {
        var sw = Stopwatch.StartNew();
        Ffmpeg("-threads", "1", "-i", disMkv, "-threads", "1", "-i", refMkv, "-filter_threads", "1",
            "-lavfi", "[0:v][1:v]blend=all_mode=normal:all_opacity=0", "-f", "null", "-");
        return sw.Elapsed.TotalSeconds;
    }

    private static bool FfmpegHasLibvmaf()
    {
        try
        {
            return Capture("-hide_banner", "-filters").Split('\n').Any(l => l.Contains(" libvmaf ", StringComparison.Ordinal));
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
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
