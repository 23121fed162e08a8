using System.CommandLine;
using Aqs.Shared.Cli;
using Aqs.Shared.Kernel;

namespace Aqs.Kernel.Display;

/// <summary>Kernel D's options: one table for <c>kernel-display</c> and <c>aqs run</c>; defaults come from <see cref="DisplaySettings"/>.</summary>
public sealed class DisplayFlags : KernelFlags
{
    private static readonly DisplaySettings Defaults = new() { Context = KernelContext.None };

    public Option<int> MetricsEvery { get; } = new("--metrics-every") { Description = "measure PSNR/SSIM (and offer VMAF) on every Nth displayed frame", DefaultValueFactory = _ => Defaults.MetricsEvery };
    public Option<string> MetricsBudget { get; } = new("--metrics-budget") { Description = "frames later than this (capture to decoded) are shown unmeasured so the display catches up", DefaultValueFactory = _ => $"{Defaults.MetricsLatencyBudget.TotalMilliseconds:F0}ms" };
    public Option<Switch> Vmaf { get; } = Toggle("--vmaf", "score VMAF (v0.6.1) beside the display loop on runs of frames it can keep up with", Defaults.Vmaf);
    public Option<string?> VmafModel { get; } = new("--vmaf-model") { Description = "libvmaf JSON model; default: AQS_VMAF_MODEL or ../shared/data/quality-reference/model/vmaf_v0.6.1.json" };
    public Option<double> VmafShare { get; } = new("--vmaf-share") { Description = "most of one core the VMAF worker may use, over 0 and at most 1 (default: cores/8, at most 1)", DefaultValueFactory = _ => Defaults.VmafCoreShare };
    public Option<Switch> Gpu { get; } = Toggle("--gpu", "measure SSIM/PSNR and VMAF on a CUDA or OpenCL GPU when one is present", Defaults.Gpu, auto: true);

    public override IEnumerable<Option> All => [MetricsEvery, MetricsBudget, Vmaf, VmafModel, VmafShare, Gpu];

    public override void Validate(ParseResult parse) => Read(parse, KernelContext.None);

    public DisplaySettings Read(ParseResult parse, KernelContext context)
    {
        var every = Get(parse, MetricsEvery);
        if (every < 1)
        {
            throw Bad(MetricsEvery, $"must be at least 1, got {every}");
        }
        var share = Get(parse, VmafShare);
        if (!(share > 0 && share <= 1))
        {
            throw Bad(VmafShare, $"must be over 0 and at most 1, got {share}");
        }
        return new DisplaySettings
        {
            Context = context,
            MetricsEvery = every,
            MetricsLatencyBudget = DurationParser.Parse(Get(parse, MetricsBudget)!, MetricsBudget.Name),
            Vmaf = Get(parse, Vmaf),
            VmafModelPath = Get(parse, VmafModel),
            Gpu = Get(parse, Gpu),
            VmafCoreShare = share,
        };
    }
}
