using System.CommandLine;
using Aqs.Kernel.Display.Presentation;
using Aqs.Kernel.Display.References;
using Aqs.Kernel.Display.Rendering;
using Aqs.Shared.Cli;
using Aqs.Shared.Kernel;

namespace Aqs.Kernel.Display;

/// <summary>Kernel D's options: one table for <c>kernel-display</c> and <c>aqs run</c>; defaults come from <see cref="DisplaySettings"/>.</summary>
public sealed class DisplayFlags : KernelFlags
{
    private static readonly DisplaySettings Defaults = new() { Context = KernelContext.None };
    private static readonly RenderSettings RenderDefaults = new();

    public Option<double> Refresh { get; } = new("--refresh") { Description = "display refresh rate in Hz: pictures are presented and the on-screen age sampled at this rate", DefaultValueFactory = _ => Defaults.RefreshHz };
    public Option<string> JitterBuffer { get; } = new("--jitter-buffer") { Description = "adaptive|off|DURATION (e.g. 40ms): the playout delay on top of the fastest transit; adaptive keeps freezes rare with the smallest buffer", DefaultValueFactory = _ => "adaptive" };
    public Option<double> JitterQuantile { get; } = new("--jitter-quantile") { Description = "share of transit excesses the adaptive jitter buffer absorbs without a freeze, over 0 and at most 1", DefaultValueFactory = _ => Defaults.JitterQuantile };
    public Option<string> JitterMax { get; } = new("--jitter-max") { Description = "the adaptive jitter buffer's ceiling: a longer delay spike is shown as a freeze rather than delaying every picture", DefaultValueFactory = _ => $"{Defaults.JitterMax.TotalMilliseconds:F0}ms" };
    public Option<double> MetricsShare { get; } = new("--metrics-share") { Description = "most of one core SSIM/PSNR (and scaling to the source) may use, over 0 and at most 1; beyond it presented pictures are sampled (default: cores/4, at most 1)", DefaultValueFactory = _ => DisplaySettings.DefaultMetricsCoreShare };
    public Option<string> RefKeep { get; } = new("--ref-keep") { Description = "how long source frames are kept to measure late pictures against", DefaultValueFactory = _ => $"{Defaults.ReferenceKeep.TotalSeconds:F0}s" };
    public Option<int> RefMemory { get; } = new("--ref-memory-mib") { Description = "most memory the kept source frames may take, in MiB (default: a quarter of memory, at most 4096)", DefaultValueFactory = _ => (int)(ReferenceStore.DefaultMemoryBudget >> 20) };
    public Option<Switch> Reference { get; } = Toggle("--reference", "measure quality against the source's ref ring (off on a receiving host without the source)", Defaults.Reference);
    public Option<Switch> Vmaf { get; } = Toggle("--vmaf", "score VMAF (v0.6.1) beside the display loop on runs of frames it can keep up with", Defaults.Vmaf);
    public Option<string?> VmafModel { get; } = new("--vmaf-model") { Description = "libvmaf JSON model; default: AQS_VMAF_MODEL or ../shared/data/quality-reference/model/vmaf_v0.6.1.json" };
    public Option<double> VmafShare { get; } = new("--vmaf-share") { Description = "most of one core the VMAF worker may use, over 0 and at most 1 (default: cores/8, at most 1)", DefaultValueFactory = _ => DisplaySettings.DefaultVmafCoreShare };
    public Option<Switch> Gpu { get; } = Toggle("--gpu", "measure SSIM/PSNR and VMAF on a CUDA or OpenCL GPU when one is present", Defaults.Gpu, auto: true);
    public Option<string?> FramesJsonl { get; } = new("--frames-jsonl") { Description = "write one JSON line per presented and per measured picture to this file" };
    public Option<string> Render { get; } = new("--render") { Description = "vulkan|off: render every presented picture through Vulkan (a GPU, else lavapipe on the CPU), or measure without rendering", DefaultValueFactory = _ => "vulkan" };
    public Option<string?> RenderSize { get; } = new("--render-size") { Description = "WxH of the rendered picture (default: the source's size; at most 4x the decoded picture)" };
    public Option<string> RenderFilter { get; } = new("--render-filter") { Description = "bilinear|bicubic|lanczos: how the renderer scales", DefaultValueFactory = _ => RenderDefaults.Filter.ToString().ToLowerInvariant() };
    public Option<Switch> Window { get; } = Toggle("--window", "show the pictures in a window on the X display (off: offscreen)", RenderDefaults.Window);
    public Option<string> PresentModeOption { get; } = new("--present-mode") { Description = "fifo|mailbox|immediate: how the window presents (fifo waits for vertical blank)", DefaultValueFactory = _ => RenderDefaults.PresentMode.ToString().ToLowerInvariant() };
    public Option<string?> VulkanDevice { get; } = new("--vulkan-device") { Description = "use the Vulkan device whose name contains this (default: a GPU, else lavapipe)" };
    public Option<double?> RenderShare { get; } = new("--render-share") { Description = "most of one core offscreen rendering may use on a CPU Vulkan device (lavapipe), over 0 and at most 1; pictures beyond it are presented unrendered (default: cores/8). A GPU renders every picture" };
    public Option<int> SnapshotEvery { get; } = new("--snapshot-every") { Description = "write a PNG of the first picture rendered in every N frames of the stream (0: none)", DefaultValueFactory = _ => RenderDefaults.SnapshotEvery };
    public Option<string> SnapshotDir { get; } = new("--snapshot-dir") { Description = "folder for --snapshot-every PNGs", DefaultValueFactory = _ => RenderDefaults.SnapshotDirectory };

    public override IEnumerable<Option> All =>
    [
        Refresh, JitterBuffer, JitterQuantile, JitterMax, MetricsShare, RefKeep, RefMemory, Reference, Vmaf, VmafModel, VmafShare, Gpu,
        FramesJsonl, Render, RenderSize, RenderFilter, Window, PresentModeOption, VulkanDevice, RenderShare, SnapshotEvery, SnapshotDir,
    ];

    /// <summary>The pipeline run names the per-frame log itself (in the run's folder).</summary>
    public override IEnumerable<Option> PipelineOwned => [FramesJsonl];

    public override void Validate(ParseResult parse) => Read(parse, KernelContext.None);

    public DisplaySettings Read(ParseResult parse, KernelContext context)
    {
        var hz = Get(parse, Refresh);
        if (!(hz >= 1 && hz <= 1000))
        {
            throw Bad(Refresh, $"must be 1..1000 Hz, got {hz}");
        }
        var (mode, fixedDelay) = Get(parse, JitterBuffer) switch
        {
            "adaptive" => (JitterBufferMode.Adaptive, TimeSpan.Zero),
            "off" => (JitterBufferMode.Off, TimeSpan.Zero),
            var text => (JitterBufferMode.Fixed, DurationParser.Parse(text!, JitterBuffer.Name)),
        };
        var keep = DurationParser.Parse(Get(parse, RefKeep)!, RefKeep.Name);
        if (keep <= TimeSpan.Zero)
        {
            throw Bad(RefKeep, $"must be positive, got {Get(parse, RefKeep)}");
        }
        var mib = Get(parse, RefMemory);
        if (mib <= 0)
        {
            throw Bad(RefMemory, $"must be positive, got {mib}");
        }
        return new DisplaySettings
        {
            Context = context,
            RefreshHz = hz,
            JitterBuffer = mode,
            JitterFixed = fixedDelay,
            JitterQuantile = Share(parse, JitterQuantile),
            JitterMax = DurationParser.Parse(Get(parse, JitterMax)!, JitterMax.Name),
            MetricsCoreShare = Share(parse, MetricsShare),
            ReferenceKeep = keep,
            ReferenceMemoryBytes = (long)mib << 20,
            Reference = Get(parse, Reference),
            Vmaf = Get(parse, Vmaf),
            VmafModelPath = Get(parse, VmafModel),
            VmafCoreShare = Share(parse, VmafShare),
            Gpu = Get(parse, Gpu),
            FramesJsonl = Get(parse, FramesJsonl),
            Render = ReadRender(parse),
        };
    }

    private RenderSettings ReadRender(ParseResult parse)
    {
        if (!Choice(Get(parse, Render), Render, ("vulkan", true), ("off", false)))
        {
            return RenderSettings.Off;
        }
        var snapshotEvery = Get(parse, SnapshotEvery);
        if (snapshotEvery < 0)
        {
            throw Bad(SnapshotEvery, $"must be 0 or more, got {snapshotEvery}");
        }
        return new RenderSettings
        {
            Size = Get(parse, RenderSize) is { } sizeText ? ParseSize(sizeText) : null,
            Filter = Choice(Get(parse, RenderFilter), RenderFilter, ("bilinear", ScaleFilter.Bilinear), ("bicubic", ScaleFilter.Bicubic), ("lanczos", ScaleFilter.Lanczos)),
            Window = Get(parse, Window),
            PresentMode = Choice(Get(parse, PresentModeOption), PresentModeOption, ("fifo", PresentMode.Fifo), ("mailbox", PresentMode.Mailbox), ("immediate", PresentMode.Immediate)),
            Device = Get(parse, VulkanDevice),
            CpuShare = Get(parse, RenderShare) is { } share ? CheckShare(share, RenderShare) : null,
            SnapshotEvery = snapshotEvery,
            SnapshotDirectory = Get(parse, SnapshotDir)!,
        };
    }

    private (int, int) ParseSize(string text)
    {
        var parts = text.Split('x');
        if (parts.Length == 2 && int.TryParse(parts[0], out var w) && int.TryParse(parts[1], out var h) && w is >= 1 and <= 16384 && h is >= 1 and <= 16384)
        {
            return (w, h);
        }
        throw Bad(RenderSize, $"expected WxH with each 1..16384, got '{text}'");
    }

    private static double Share(ParseResult parse, Option<double> option) => CheckShare(Get(parse, option), option);

    private static double CheckShare(double value, Option option) =>
        value > 0 && value <= 1 ? value : throw Bad(option, $"must be over 0 and at most 1, got {value}");

    /// <summary>The value named by <paramref name="value"/>, or one line listing the names an option takes.</summary>
    private static T Choice<T>(string? value, Option option, params (string Name, T Value)[] choices)
    {
        foreach (var (name, result) in choices)
        {
            if (name == value)
            {
                return result;
            }
        }
        var names = choices.Select(c => c.Name).ToArray();
        throw Bad(option, $"expected {string.Join(", ", names[..^1])} or {names[^1]}, got '{value}'");
    }
}
