using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Aqs.Bench.Harness;
using Aqs.Shared.Quality.Vmaf;

namespace Aqs.Bench.Quality;

/// <summary>
/// <c>aqs bench vmaf-adm</c>: ms per frame of our integer ADM alone, one thread, per stage and level, the vectorised
/// path against the scalar reference twin in the same run, at 720p and 1080p. The pair is made here with ffmpeg
/// (testsrc2, x264 CRF 28, as the vmaf suite's) and decoded to luma planes first.
/// </summary>
public sealed partial class AdmBench : IBenchSuite
{
    private static readonly string[] StageNames = ["DWT", "decouple", "denominator", "CSF", "contrast mask"];

    public string Name => "vmaf-adm";

    public string Description => "integer ADM ms/frame per stage, vectorised vs scalar, 720p and 1080p";

    public int Run(BenchReport report, BenchOptions options)
    {
        var frames = options.Quick ? 3 : 12;
        var repeats = options.Quick ? 1 : 5;
        var work = Path.Combine(Path.GetTempPath(), "aqs-adm-bench-" + Environment.ProcessId);
        Directory.CreateDirectory(work);
        try
        {
            report.Section("ADM, one thread",
                $"{frames} frames per pair, {repeats} passes. Totals are the thread's CPU time per frame (CLOCK_THREAD_CPUTIME_ID: " +
                "time the thread was preempted is not counted), fastest and median frame; per-stage columns are wall ms of the fastest frame. " +
                $"Load average at start: {LoadAverage()} on {Environment.ProcessorCount} cores (shared machine: the best-of " +
                "figures are the steadier ones). Level 0 is the full-resolution DWT (16-bit words); levels 1..3 are summed. " +
                "The vectorised path decouples each band row and takes its CSF right after the DWT makes it, so its DWT columns " +
                "hold DWT + decouple + CSF and its decouple and CSF columns are empty.");
            report.Table(["pair", "path", "CPU ms (fastest)", "CPU ms (median)", .. StageNames.SelectMany(s => new[] { s + " L0", s + " L1-3" }), "speed-up (median CPU)"]);
            foreach (var (w, h) in new[] { (1280, 720), (1920, 1080) })
            {
                var (refLuma, disLuma) = MakePair(work, w, h, frames);
                var scalar = Measure(w, h, refLuma, disLuma, frames, repeats, simd: false);
                var simd = Measure(w, h, refLuma, disLuma, frames, repeats, simd: true);
                foreach (var (name, m) in new[] { ("scalar", scalar), ("vectorised", simd) })
                {
                    var cells = new List<object> { $"{w}x{h}", name, m.Total, m.Median };
                    for (var s = 0; s < IntegerAdm.StageCount; s++)
                    {
                        cells.Add(m.Stage0[s]);
                        cells.Add(m.Stage123[s]);
                    }
                    cells.Add((scalar.Median / m.Median).ToString("F2", CultureInfo.InvariantCulture));
                    report.Row([.. cells]);
                }
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
        return 0;
    }

    private sealed record Timing(double Total, double Median, double[] Stage0, double[] Stage123);

    /// <summary>Per stage and in total the fastest frame over all passes: on a shared machine a frame that ran
    /// without being preempted is the figure that repeats.</summary>
    private static Timing Measure(int w, int h, ushort[][] refLuma, ushort[][] disLuma, int frames, int repeats, bool simd)
    {
        var adm = new IntegerAdm(w, h, 8, simd);
        var ticks = new long[4 * IntegerAdm.StageCount];
        adm.StageTicks = ticks;
        adm.Compute(refLuma[0], disLuma[0]); // JIT warm-up
        adm.Compute(refLuma[0], disLuma[0]);
        var cpu = new List<double>();
        var stage0 = Enumerable.Repeat(double.MaxValue, IntegerAdm.StageCount).ToArray();
        var stage123 = Enumerable.Repeat(double.MaxValue, IntegerAdm.StageCount).ToArray();
        var msPerTick = 1000.0 / Stopwatch.Frequency;
        for (var r = 0; r < repeats; r++)
        {
            for (var f = 0; f < frames; f++)
            {
                Array.Clear(ticks);
                var start = ThreadCpuMs();
                adm.Compute(refLuma[f], disLuma[f]);
                cpu.Add(ThreadCpuMs() - start);
                for (var s = 0; s < IntegerAdm.StageCount; s++)
                {
                    stage0[s] = Math.Min(stage0[s], ticks[s] * msPerTick);
                    var rest = ticks[IntegerAdm.StageCount + s] + ticks[2 * IntegerAdm.StageCount + s] + ticks[3 * IntegerAdm.StageCount + s];
                    stage123[s] = Math.Min(stage123[s], rest * msPerTick);
                }
            }
        }
        cpu.Sort();
        return new Timing(cpu[0], cpu[cpu.Count / 2], stage0, stage123);
    }

    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out Timespec time);

    private static double ThreadCpuMs()
    {
        const int clockThreadCpuTime = 3; // CLOCK_THREAD_CPUTIME_ID
        ClockGetTime(clockThreadCpuTime, out var t);
        return t.Seconds * 1000.0 + t.Nanoseconds / 1e6;
    }

    private static (ushort[][] Ref, ushort[][] Dis) MakePair(string work, int w, int h, int frames)
    {
        var refMkv = Path.Combine(work, $"ref_{w}x{h}.mkv");
        var disMkv = Path.Combine(work, $"dis_{w}x{h}.mkv");
        Ffmpeg("-f", "lavfi", "-i", $"testsrc2=size={w}x{h}:rate=30", "-frames:v", frames.ToString(CultureInfo.InvariantCulture),
            "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0", refMkv);
        Ffmpeg("-i", refMkv, "-c:v", "libx264", "-preset", "veryfast", "-crf", "28", "-pix_fmt", "yuv420p", disMkv);
        return (Luma(refMkv, work, w, h, frames), Luma(disMkv, work, w, h, frames));
    }

    private static ushort[][] Luma(string mkv, string work, int w, int h, int frames)
    {
        var raw = Path.Combine(work, "luma.gray");
        Ffmpeg("-i", mkv, "-f", "rawvideo", "-pix_fmt", "gray", raw);
        var bytes = File.ReadAllBytes(raw);
        File.Delete(raw);
        var planes = new ushort[frames][];
        for (var f = 0; f < frames; f++)
        {
            planes[f] = bytes.AsSpan(f * w * h, w * h).ToArray().Select(b => (ushort)b).ToArray();
        }
        return planes;
    }

    private static void Ffmpeg(params string[] args)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["-nostdin", "-v", "error", "-y", .. args])
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info)!;
        var err = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("ffmpeg failed: " + err.Trim());
        }
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
}
