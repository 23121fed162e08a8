using System.Diagnostics;
using Aqs.Bench.Harness;
using Aqs.Kernel.Preprocess.Sources;
using Aqs.Shared.Frames;

namespace Aqs.Bench.Sources;

/// <summary>
/// Kernel B's sources on one core: synthetic generation frames/s (against a plain copy of the same frame size, and
/// against the real-time rate), and Y4M ingest MB/s against <c>cat FILE &gt; /dev/null</c> on the same warm file.
/// </summary>
public sealed class SourcesBench : IBenchSuite
{
    public string Name => "sources";

    public string Description => "synthetic 4K60 10-bit / 1080p generation and Y4M ingest vs cat";

    public int Run(BenchReport report, BenchOptions options)
    {
        // One core: the figures are per core, and the generator is single-threaded by design.
        Thread.CurrentThread.Priority = ThreadPriority.Highest;
        var loadBefore = LoadAverage();
        SyntheticSection(report, options);
        Y4mSection(report, options);
        report.Note($"Load average (1 min) at start {loadBefore}, at end {LoadAverage()} on {Environment.ProcessorCount} cores: " +
            "absolute figures scale with the CPU share this process got; the ratios compare runs made under the same load.");
        return 0;
    }

    private static void SyntheticSection(BenchReport report, BenchOptions options)
    {
        report.Section("Synthetic generation, one thread",
            "frames/s of SyntheticSource.TryReadFrame into one frame buffer, per core: frames / CPU seconds of the generating thread " +
            "(wall-clock frames/s in brackets; on a loaded machine wall time includes time other processes held the core). " +
            "Baseline: copying a ready frame of the same size (Span.CopyTo, the least any source must do per frame), timed the same way. " +
            "Real-time ratio = per-core frames/s / nominal fps (above 1 = one core keeps up). A 1080p 8-bit frame (3 MB) stays in the " +
            "CPU cache between copies, so its memcpy baseline is far faster than at 4K, where frames stream through memory.");
        report.Table("case", "frames", "synthetic fps/core (wall)", "memcpy fps/core (wall)", "synthetic / memcpy", "real-time ratio");
        var cases = new (string Name, SyntheticOptions Options)[]
        {
            ("3840x2160 60 fps 10-bit 4:2:0", new SyntheticOptions { Width = 3840, Height = 2160, Fps = 60, BitDepth = 10, MotionSpeed = 8, Detail = 0.6, Noise = 0.1 }),
            ("3840x2160 60 fps 10-bit 4:2:0, cut every 1 s", new SyntheticOptions { Width = 3840, Height = 2160, Fps = 60, BitDepth = 10, MotionSpeed = 8, Detail = 0.6, Noise = 0.1, SceneCutEverySeconds = 1 }),
            ("1920x1080 60 fps 8-bit 4:2:0", new SyntheticOptions { Width = 1920, Height = 1080, Fps = 60, BitDepth = 8, MotionSpeed = 6, Detail = 0.6, Noise = 0.1 }),
            ("7680x4320 30 fps 10-bit 4:2:0", new SyntheticOptions { Width = 7680, Height = 4320, Fps = 30, BitDepth = 10, MotionSpeed = 12, Detail = 0.6, Noise = 0.1 }),
        };
        foreach (var (name, o) in cases)
        {
            var frames = options.Quick ? 20 : (o.Width > 4000 ? 60 : 240);
            using var source = new SyntheticSource(o);
            var buffer = GC.AllocateUninitializedArray<byte>(source.Layout.FrameSize, pinned: true);
            var copySource = GC.AllocateUninitializedArray<byte>(source.Layout.FrameSize, pinned: true);
            source.TryReadFrame(copySource, out _);
            for (var i = 0; i < 5; i++)
            {
                source.TryReadFrame(buffer, out _); // warm-up: tiering, page faults
            }
            var (synthCpu, synthWall) = Time(() =>
            {
                for (var i = 0; i < frames; i++)
                {
                    source.TryReadFrame(buffer, out _);
                }
            });
            var (copyCpu, copyWall) = Time(() =>
            {
                for (var i = 0; i < frames; i++)
                {
                    copySource.AsSpan().CopyTo(buffer);
                }
            });
            report.Row(name, frames, $"{frames / synthCpu:F1} ({frames / synthWall:F1})", $"{frames / copyCpu:F1} ({frames / copyWall:F1})",
                copyCpu / synthCpu, frames / synthCpu / o.Fps);
        }
    }

    /// <summary>(thread CPU seconds, wall seconds) of <paramref name="body"/>.</summary>
    private static (double Cpu, double Wall) Time(Action body)
    {
        var cpu = ThreadCpuClock.NowSeconds;
        var sw = Stopwatch.StartNew();
        body();
        return (ThreadCpuClock.NowSeconds - cpu, sw.Elapsed.TotalSeconds);
    }

    private static void Y4mSection(BenchReport report, BenchOptions options)
    {
        var layout = new FrameLayout(1920, 1080, PixelFormat.Yuv420p10);
        var frames = options.Quick ? 20 : 150;
        var path = Path.Combine(Path.GetTempPath(), $"aqs-sources-bench-{Environment.ProcessId}.y4m");
        try
        {
            WriteY4m(path, layout, frames);
            var bytes = new FileInfo(path).Length;
            report.Section("Y4M ingest",
                $"{frames} frames of {layout} ({bytes / 1e6:F0} MB) read from the warm page cache; Y4mSource reads each frame into one " +
                "reused buffer (a ring slot in the kernel). Baseline: `cat FILE > /dev/null` on the same file in the same run. Per core = " +
                "bytes / CPU seconds (user + system) of the reading thread, or of cat (bash `time`); wall-clock MB/s in brackets. Best of 3.");
            report.Table("reader", "MB/s per core (wall)", "frames/s per core", "vs cat");
            RunCat(path); // warm the page cache
            var cat = (Cpu: double.MaxValue, Wall: double.MaxValue);
            var ours = (Cpu: double.MaxValue, Wall: double.MaxValue);
            var buffer = GC.AllocateUninitializedArray<byte>(layout.FrameSize, pinned: true);
            for (var round = 0; round < 3; round++)
            {
                var c = RunCat(path);
                cat = (Math.Min(cat.Cpu, c.Cpu), Math.Min(cat.Wall, c.Wall));
                var o = Time(() =>
                {
                    using var source = Y4mSource.Open(path);
                    var n = 0;
                    while (source.TryReadFrame(buffer, out _))
                    {
                        n++;
                    }
                    if (n != frames)
                    {
                        throw new InvalidOperationException($"read {n} of {frames} frames");
                    }
                });
                ours = (Math.Min(ours.Cpu, o.Cpu), Math.Min(ours.Wall, o.Wall));
            }
            double Mbs(double seconds) => bytes / 1e6 / seconds;
            report.Row("cat > /dev/null", $"{Mbs(cat.Cpu):F0} ({Mbs(cat.Wall):F0})", frames / cat.Cpu, 1.0);
            report.Row("Y4mSource", $"{Mbs(ours.Cpu):F0} ({Mbs(ours.Wall):F0})", frames / ours.Cpu, cat.Cpu / ours.Cpu);
        }
        finally
        {
            File.Delete(path);
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

    private static void WriteY4m(string path, FrameLayout layout, int frames)
    {
        using var synthetic = new SyntheticSource(new SyntheticOptions { Width = layout.Width, Height = layout.Height, BitDepth = 10, Fps = 60 });
        var frame = new byte[layout.FrameSize];
        using var file = File.Create(path);
        file.Write(System.Text.Encoding.ASCII.GetBytes($"YUV4MPEG2 W{layout.Width} H{layout.Height} F60:1 Ip A1:1 C420p10 XYSCSS=420P10\n"));
        for (var i = 0; i < frames; i++)
        {
            synthetic.TryReadFrame(frame, out _);
            file.Write("FRAME\n"u8);
            file.Write(frame);
        }
    }

    /// <summary>(CPU seconds user+system, wall seconds) of `cat FILE > /dev/null`, CPU time from bash's `time`.</summary>
    private static (double Cpu, double Wall) RunCat(string path)
    {
        var psi = new ProcessStartInfo("bash", ["-c", "TIMEFORMAT='%3U %3S'; time cat \"$0\" > /dev/null", path])
        {
            UseShellExecute = false,
            RedirectStandardError = true,
        };
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var times = p.StandardError.ReadToEnd().Trim().Split(' ');
        p.WaitForExit();
        var wall = sw.Elapsed.TotalSeconds;
        if (p.ExitCode != 0 || times.Length != 2)
        {
            throw new InvalidOperationException("cat failed: " + string.Join(' ', times));
        }
        var cpu = double.Parse(times[0], System.Globalization.CultureInfo.InvariantCulture)
                + double.Parse(times[1], System.Globalization.CultureInfo.InvariantCulture);
        return (Math.Max(cpu, 1e-3), wall);
    }
}
