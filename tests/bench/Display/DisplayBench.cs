using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Aqs.Bench.Harness;
using Aqs.Kernel.Display.Rendering;
using Aqs.Shared.Frames;
using Aqs.Shared.Media;

namespace Aqs.Bench.Display;

/// <summary>
/// Kernel D's renderer: 10-bit YUV to RGBA, converted and scaled through Vulkan on every device present (lavapipe on
/// the CPU here; an NVIDIA GPU where there is one), against libswscale doing the same conversion in the same run;
/// then the whole pipeline at 1080p60 on clean loopback, rendering on, for the viewer's latency.
/// </summary>
public sealed class DisplayBench : IBenchSuite
{
    public string Name => "display";

    public string Description => "Vulkan YUV->RGB convert+scale (lavapipe, NVIDIA when present) vs libswscale; whole pipeline 1080p60 viewer latency";

    public int Run(BenchReport report, BenchOptions options)
    {
        var loadBefore = LoadAverage();
        var cases = new (string Name, FrameLayout Source, int Width, int Height, ScaleFilter Filter)[]
        {
            ("1080p 10-bit -> 1080p RGBA", new FrameLayout(1920, 1080, PixelFormat.Yuv420p10), 1920, 1080, ScaleFilter.Bicubic),
            ("1080p 10-bit -> 4K RGBA, bicubic 2x", new FrameLayout(1920, 1080, PixelFormat.Yuv420p10), 3840, 2160, ScaleFilter.Bicubic),
            ("1080p 10-bit -> 4K RGBA, Lanczos 2x", new FrameLayout(1920, 1080, PixelFormat.Yuv420p10), 3840, 2160, ScaleFilter.Lanczos),
            ("4K 10-bit -> 4K RGBA", new FrameLayout(3840, 2160, PixelFormat.Yuv420p10), 3840, 2160, ScaleFilter.Bicubic),
        };
        var seconds = options.Quick ? 0.3 : 3.0;
        var devices = VulkanDevice.List();
        report.Section("Convert and scale to RGBA: Vulkan vs libswscale",
            $"Each side converts the same synthetic 10-bit 4:2:0 frame (limited-range BT.709) to 8-bit RGBA for {seconds:F1} s after a warm-up; " +
            "Vulkan: upload from host memory, the compute passes, and the wait for completion (what the presenter pays per picture; no read-back); " +
            "libswscale: one sws_scale call per frame with the same filter family (SWS_BICUBIC or SWS_LANCZOS, ACCURATE_RND, FULL_CHR_H_INT), " +
            $"one thread (sws_scale does not thread). Vulkan devices here: {string.Join("; ", devices.Select(d => $"{d.Name} ({d.Type})"))}. " +
            $"lavapipe runs on the CPU's {Environment.ProcessorCount} cores, so its ratio is cores against one.");
        report.Table("conversion", "device", "Vulkan fps", "libswscale fps (baseline)", "ratio");
        string? baselineMissing = null;
        foreach (var c in cases)
        {
            var frame = Frame(c.Source);
            var baseline = double.NaN;
            try
            {
                baseline = SwscaleFps(c.Source, frame, c.Width, c.Height, c.Filter, seconds);
            }
            catch (Exception ex) when (ex is DllNotFoundException or Aqs.Shared.Cli.UserFacingException or InvalidOperationException)
            {
                baselineMissing = ex.Message; // e.g. a GPU host without FFmpeg 5.1's libswscale: the Vulkan rows still count
            }
            foreach (var (name, _) in devices)
            {
                var fps = VulkanFps(name, c.Source, frame, c.Width, c.Height, c.Filter, seconds);
                report.Row(c.Name, name, fps, double.IsNaN(baseline) ? "n/a" : baseline, double.IsNaN(baseline) ? "n/a" : $"{fps / baseline:F2}x");
            }
        }
        if (baselineMissing is not null)
        {
            report.Note($"libswscale baseline not measured here: {baselineMissing}");
        }
        if (devices.Count == 0)
        {
            report.Note($"No Vulkan device here: {VulkanUnavailableException.InstallHint}.");
        }
        if (!devices.Any(d => d.Name.Contains("NVIDIA", StringComparison.OrdinalIgnoreCase)))
        {
            report.Note("No NVIDIA GPU on this machine: run `orchestration/aqs bench display` on one to add its rows (the device is found by itself).");
        }
        Pipeline(report, options);
        report.Section("Machine load",
            $"Load average (1 min) {loadBefore} at the start and {LoadAverage()} at the end of this run, on {Environment.ProcessorCount} cores. " +
            "Above the core count the figures measure the machine's other work as much as this code; rerun on a quiet machine before judging them.");
        return 0;
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static byte[] Frame(FrameLayout layout)
    {
        var frame = new byte[layout.FrameSize];
        var rng = new Random(1);
        for (var p = 0; p < layout.PlaneCount; p++)
        {
            for (var y = 0; y < layout.PlaneHeight(p); y++)
            {
                for (var x = 0; x < layout.PlaneWidth(p); x++)
                {
                    var v = p == 0 ? 64 + (x + y) % 876 : 512 + (int)(200 * Math.Sin((x + 3 * y) / 40.0)) + rng.Next(-4, 5);
                    var o = layout.Offset(p) + y * layout.Stride(p) + x * 2;
                    frame[o] = (byte)v;
                    frame[o + 1] = (byte)(v >> 8);
                }
            }
        }
        return frame;
    }

    private static double VulkanFps(string device, FrameLayout layout, byte[] frame, int width, int height, ScaleFilter filter, double seconds)
    {
        using var vulkan = VulkanDevice.Create(device);
        using var converter = new VulkanConverter(vulkan);
        for (var i = 0; i < 3; i++)
        {
            converter.Convert(frame, layout, YuvColor.Bt709, width, height, filter);
        }
        var n = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed.TotalSeconds < seconds || n < 3)
        {
            converter.Convert(frame, layout, YuvColor.Bt709, width, height, filter);
            n++;
        }
        return n / watch.Elapsed.TotalSeconds;
    }

    private static double SwscaleFps(FrameLayout layout, byte[] frame, int width, int height, ScaleFilter filter, double seconds)
    {
        using var scaler = new RgbaScaler(layout, width, height, filter);
        var output = new byte[width * height * 4];
        scaler.Scale(frame, output);
        var n = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed.TotalSeconds < seconds || n < 3)
        {
            scaler.Scale(frame, output);
            n++;
        }
        return n / watch.Elapsed.TotalSeconds;
    }

    /// <summary>The whole pipeline at 1080p60 on clean loopback with rendering on: what a viewer gets on this machine.</summary>
    private static void Pipeline(BenchReport report, BenchOptions options)
    {
        var duration = options.Quick ? "4s" : "20s";
        report.Section("Whole pipeline, 1080p60 synthetic, clean loopback, rendering on (Vulkan, offscreen)",
            $"`orchestration/aqs run --size 1920x1080 --fps 60 --duration {duration}`: four processes on this machine's {Environment.ProcessorCount} cores; " +
            "the viewer's figures from Kernel D. Goal: p95 capture->presented <= 25 ms with every frame the metrics schedule promised measured.");
        var json = Path.Combine(Path.GetTempPath(), $"aqs-display-bench-{Environment.ProcessId}.json");
        var aqs = Path.Combine(RepositoryPaths.Root, "artifacts", "bin", "Aqs.Orchestration", "release", "aqs.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { aqs, "run", "--size", "1920x1080", "--fps", "60", "--duration", duration, "--quiet", "--json", json })
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        Console.WriteLine(stdout.Result);
        if (!File.Exists(json))
        {
            report.Note($"The run wrote no summary (exit {process.ExitCode}); see its output above.");
            return;
        }
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var d = doc.RootElement.GetProperty("kernels").GetProperty("kernel-display");
        string F(string key, string format = "F1") => d.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number
            ? v.GetDouble().ToString(format, CultureInfo.InvariantCulture) : "n/a";
        report.Table("figure", "value");
        report.Row("frames decoded / presented / measured", $"{F("frames_decoded", "F0")} / {F("frames_presented", "F0")} / {F("frames_measured", "F0")}");
        report.Row("unmeasured: sampled out (metrics share) / no reference", $"{F("frames_unmeasured_sampled", "F0")} / {F("frames_unmeasured_no_reference", "F0")}");
        report.Row("capture->presented p50 / p95 / p99 ms", $"{F("presented_ms_p50")} / {F("presented_ms_p95")} / {F("presented_ms_p99")}");
        report.Row("on-screen age p50 / p95 / p99 ms", $"{F("age_ms_p50")} / {F("age_ms_p95")} / {F("age_ms_p99")}");
        report.Row("capture->decoded p50 / p95 ms", $"{F("latency_ms_p50")} / {F("latency_ms_p95")}");
        report.Row("render ms mean", F("render_ms_mean"));
        report.Row("freezes (total ms)", $"{F("freezes", "F0")} ({F("freeze_ms", "F0")})");
        report.Row("SSIM / PSNR", $"{F("ssim_mean", "F4")} / {F("psnr_mean", "F2")} dB");
        var p95 = d.TryGetProperty("presented_ms_p95", out var v95) ? v95.GetDouble() : double.NaN;
        report.Note($"**p95 capture->presented {p95:F1} ms: goal <= 25 ms {(p95 <= 25 ? "met" : "MISSED")}.** Render device: {(d.TryGetProperty("render_device", out var rd) ? rd.GetString() : "none")}.");
        File.Delete(json);
    }
}
