using System.CommandLine;
using Aqs.Shared.Cli;
using Aqs.Kernel.Display.Presentation;
using Aqs.Kernel.Display.References;
using Aqs.Kernel.Display.Rendering;
using Aqs.Shared.Kernel;

namespace Aqs.Kernel.Display;

public static class Program
{
    public static int Main(string[] args)
    {
        var common = new CommonOptions();
        var refresh = new Option<double>("--refresh") { Description = "display refresh rate in Hz: pictures are presented and the on-screen age sampled at this rate", DefaultValueFactory = _ => 60 };
        var jitter = new Option<string>("--jitter-buffer") { Description = "adaptive|off|DURATION (e.g. 40ms): the playout delay on top of the fastest transit; adaptive keeps freezes rare with the smallest buffer", DefaultValueFactory = _ => "adaptive" };
        var jitterQuantile = new Option<double>("--jitter-quantile") { Description = "share of transit excesses the adaptive jitter buffer absorbs without a freeze, over 0 and at most 1", DefaultValueFactory = _ => 0.99 };
        var jitterMax = new Option<string>("--jitter-max") { Description = "the adaptive jitter buffer's ceiling: a longer delay spike is shown as a freeze rather than delaying every picture", DefaultValueFactory = _ => "150ms" };
        var metricsShare = new Option<double>("--metrics-share") { Description = "most of one core SSIM/PSNR (and scaling to the source) may use, over 0 and at most 1; beyond it presented pictures are sampled (default: cores/4, at most 1)", DefaultValueFactory = _ => DisplaySettings.DefaultMetricsCoreShare };
        var refKeep = new Option<string>("--ref-keep") { Description = "how long source frames are kept to measure late pictures against", DefaultValueFactory = _ => "10s" };
        var refMemory = new Option<int>("--ref-memory-mib") { Description = "most memory the kept source frames may take, in MiB (default: a quarter of memory, at most 4096)", DefaultValueFactory = _ => (int)(ReferenceStore.DefaultMemoryBudget >> 20) };
        var reference = new Option<string>("--reference") { Description = "on|off: measure quality against the source's ref ring (off on a receiving host without the source)", DefaultValueFactory = _ => "on" };
        var vmaf = new Option<string>("--vmaf") { Description = "on|off: score VMAF (v0.6.1) beside the display loop on runs of frames it can keep up with", DefaultValueFactory = _ => "on" };
        var vmafModel = new Option<string?>("--vmaf-model") { Description = "libvmaf JSON model; default: AQS_VMAF_MODEL or ../shared/data/quality-reference/model/vmaf_v0.6.1.json" };
        var vmafShare = new Option<double>("--vmaf-share") { Description = "most of one core the VMAF worker may use, over 0 and at most 1 (default: cores/8, at most 1)", DefaultValueFactory = _ => DisplaySettings.DefaultVmafCoreShare };
        var gpu = new Option<string>("--gpu") { Description = "auto|off: measure SSIM/PSNR and VMAF on a CUDA or OpenCL GPU when one is present", DefaultValueFactory = _ => "auto" };
        var framesJsonl = new Option<string?>("--frames-jsonl") { Description = "write one JSON line per presented and per measured picture to this file" };
        var render = new Option<string>("--render") { Description = "vulkan|off: render every presented picture through Vulkan (a GPU, else lavapipe on the CPU), or measure without rendering", DefaultValueFactory = _ => "vulkan" };
        var renderSize = new Option<string?>("--render-size") { Description = "WxH of the rendered picture (default: the source's size; at most 4x the decoded picture)" };
        var renderFilter = new Option<string>("--render-filter") { Description = "bilinear|bicubic|lanczos: how the renderer scales", DefaultValueFactory = _ => "bicubic" };
        var window = new Option<bool>("--window") { Description = "show the pictures in a window on the X display (default: offscreen)" };
        var presentMode = new Option<string>("--present-mode") { Description = "fifo|mailbox|immediate: how the window presents (fifo waits for vertical blank)", DefaultValueFactory = _ => "fifo" };
        var vulkanDevice = new Option<string?>("--vulkan-device") { Description = "use the Vulkan device whose name contains this (default: a GPU, else lavapipe)" };
        var renderShare = new Option<double?>("--render-share") { Description = "most of one core offscreen rendering may use on a CPU Vulkan device (lavapipe), over 0 and at most 1; pictures beyond it are presented unrendered (default: cores/8). A GPU renders every picture" };
        var snapshotEvery = new Option<int>("--snapshot-every") { Description = "write a PNG of the first picture rendered in every N frames of the stream (0: none)", DefaultValueFactory = _ => 0 };
        var snapshotDir = new Option<string>("--snapshot-dir") { Description = "folder for --snapshot-every PNGs", DefaultValueFactory = _ => "snapshots" };
        var root = new RootCommand("AQS Quad Kernel D (display): decodes the rx ring at any rung, presents on a display clock, measures what the viewer sees (on-screen age, freezes, quality against the source) and feeds it back")
        {
            refresh, jitter, jitterQuantile, jitterMax, metricsShare, refKeep, refMemory, reference, vmaf, vmafModel, vmafShare, gpu, framesJsonl,
            render, renderSize, renderFilter, window, presentMode, vulkanDevice, renderShare, snapshotEvery, snapshotDir,
        };
        common.AddTo(root);
        root.SetAction(parse =>
        {
            var hz = parse.GetValue(refresh);
            if (!(hz >= 1 && hz <= 1000))
            {
                throw new UserFacingException($"--refresh: must be 1..1000 Hz, got {hz}", CommandLineHost.ExitUsage);
            }
            var (mode, fixedDelay) = parse.GetValue(jitter) switch
            {
                "adaptive" => (JitterBufferMode.Adaptive, TimeSpan.Zero),
                "off" => (JitterBufferMode.Off, TimeSpan.Zero),
                var text => (JitterBufferMode.Fixed, DurationParser.Parse(text!, "--jitter-buffer")),
            };
            var settings = new DisplaySettings
            {
                Context = common.Read(parse),
                RefreshHz = hz,
                JitterBuffer = mode,
                JitterFixed = fixedDelay,
                JitterQuantile = Share(parse.GetValue(jitterQuantile), "--jitter-quantile"),
                JitterMax = DurationParser.Parse(parse.GetValue(jitterMax)!, "--jitter-max"),
                MetricsCoreShare = Share(parse.GetValue(metricsShare), "--metrics-share"),
                ReferenceKeep = DurationParser.Parse(parse.GetValue(refKeep)!, "--ref-keep"),
                ReferenceMemoryBytes = Mib(parse.GetValue(refMemory)),
                Reference = OnOff(parse.GetValue(reference), "--reference", "on", "off"),
                Vmaf = OnOff(parse.GetValue(vmaf), "--vmaf", "on", "off"),
                VmafModelPath = parse.GetValue(vmafModel),
                VmafCoreShare = Share(parse.GetValue(vmafShare), "--vmaf-share"),
                Gpu = OnOff(parse.GetValue(gpu), "--gpu", "auto", "off"),
                FramesJsonl = parse.GetValue(framesJsonl),
                Render = OnOff(parse.GetValue(render), "--render", "vulkan", "off")
                    ? new RenderSettings
                    {
                        Size = parse.GetValue(renderSize) is { } sizeText ? ParseSize(sizeText) : null,
                        Filter = Choice(parse.GetValue(renderFilter), "--render-filter", ("bilinear", ScaleFilter.Bilinear), ("bicubic", ScaleFilter.Bicubic), ("lanczos", ScaleFilter.Lanczos)),
                        Window = parse.GetValue(window),
                        PresentMode = Choice(parse.GetValue(presentMode), "--present-mode", ("fifo", PresentMode.Fifo), ("mailbox", PresentMode.Mailbox), ("immediate", PresentMode.Immediate)),
                        Device = parse.GetValue(vulkanDevice),
                        CpuShare = parse.GetValue(renderShare) is { } rs ? Share(rs, "--render-share") : null,
                        SnapshotEvery = NonNegative(parse.GetValue(snapshotEvery), "--snapshot-every"),
                        SnapshotDirectory = parse.GetValue(snapshotDir)!,
                    }
                    : RenderSettings.Off,
            };
            if (settings.ReferenceKeep <= TimeSpan.Zero)
            {
                throw new UserFacingException($"--ref-keep: must be positive, got {parse.GetValue(refKeep)}", CommandLineHost.ExitUsage);
            }
            using var lifetime = new KernelLifetime();
            return new DisplayKernel(settings).Run(lifetime);
        });
        return CommandLineHost.Run("kernel-display", root, args);
    }

    private static (int, int) ParseSize(string text)
    {
        var parts = text.Split('x');
        if (parts.Length == 2 && int.TryParse(parts[0], out var w) && int.TryParse(parts[1], out var h) && w is >= 1 and <= 16384 && h is >= 1 and <= 16384)
        {
            return (w, h);
        }
        throw new UserFacingException($"--render-size: expected WxH with each 1..16384, got '{text}'", CommandLineHost.ExitUsage);
    }

    private static int NonNegative(int value, string option) =>
        value >= 0 ? value : throw new UserFacingException($"{option}: must be 0 or more, got {value}", CommandLineHost.ExitUsage);

    private static long Mib(int mib) =>
        mib > 0 ? (long)mib << 20 : throw new UserFacingException($"--ref-memory-mib: must be positive, got {mib}", CommandLineHost.ExitUsage);

    private static double Share(double value, string option) =>
        value > 0 && value <= 1 ? value : throw new UserFacingException($"{option}: must be over 0 and at most 1, got {value}", CommandLineHost.ExitUsage);

    private static bool OnOff(string? value, string option, string on, string off) => Choice(value, option, (on, true), (off, false));

    /// <summary>The value named by <paramref name="value"/>, or one line listing the names an option takes.</summary>
    private static T Choice<T>(string? value, string option, params (string Name, T Value)[] choices)
    {
        foreach (var (name, result) in choices)
        {
            if (name == value)
            {
                return result;
            }
        }
        var names = choices.Select(c => c.Name).ToArray();
        throw new UserFacingException($"{option}: expected {string.Join(", ", names[..^1])} or {names[^1]}, got '{value}'", CommandLineHost.ExitUsage);
    }
}
