using System.CommandLine;
using Aqs.Shared.Cli;
using Aqs.Shared.Kernel;

namespace Aqs.Kernel.Display;

public static class Program
{
    public static int Main(string[] args)
    {
        var common = new CommonOptions();
        var metricsEvery = new Option<int>("--metrics-every") { Description = "measure PSNR/SSIM (and offer VMAF) on every Nth displayed frame", DefaultValueFactory = _ => 1 };
        var budget = new Option<string>("--metrics-budget") { Description = "frames later than this (capture to decoded) are shown unmeasured so the display catches up", DefaultValueFactory = _ => "250ms" };
        var vmaf = new Option<string>("--vmaf") { Description = "on|off: score VMAF (v0.6.1) beside the display loop on runs of frames it can keep up with", DefaultValueFactory = _ => "on" };
        var vmafModel = new Option<string?>("--vmaf-model") { Description = "libvmaf JSON model; default: AQS_VMAF_MODEL or ../shared/data/quality-reference/model/vmaf_v0.6.1.json" };
        var vmafShare = new Option<double>("--vmaf-share") { Description = "most of one core the VMAF worker may use, over 0 and at most 1 (default: cores/8, at most 1)", DefaultValueFactory = _ => DisplaySettings.DefaultVmafCoreShare };
        var gpu = new Option<string>("--gpu") { Description = "auto|off: measure SSIM/PSNR and VMAF on a CUDA or OpenCL GPU when one is present", DefaultValueFactory = _ => "auto" };
        var root = new RootCommand("AQS Quad Kernel D (display): decodes the rx ring, matches each frame to its reference, measures delivered quality and latency, feeds quality back")
        {
            metricsEvery, budget, vmaf, vmafModel, vmafShare, gpu,
        };
        common.AddTo(root);
        root.SetAction(parse =>
        {
            var every = parse.GetValue(metricsEvery);
            if (every < 1)
            {
                throw new UserFacingException($"--metrics-every: must be at least 1, got {every}", CommandLineHost.ExitUsage);
            }
            var vmafOn = parse.GetValue(vmaf) switch
            {
                "on" => true,
                "off" => false,
                var other => throw new UserFacingException($"--vmaf: expected on or off, got '{other}'", CommandLineHost.ExitUsage),
            };
            var share = parse.GetValue(vmafShare);
            if (!(share > 0 && share <= 1))
            {
                throw new UserFacingException($"--vmaf-share: must be over 0 and at most 1, got {share}", CommandLineHost.ExitUsage);
            }
            var gpuOn = parse.GetValue(gpu) switch
            {
                "auto" => true,
                "off" => false,
                var other => throw new UserFacingException($"--gpu: expected auto or off, got '{other}'", CommandLineHost.ExitUsage),
            };
            var settings = new DisplaySettings
            {
                Context = common.Read(parse),
                MetricsEvery = every,
                MetricsLatencyBudget = DurationParser.Parse(parse.GetValue(budget)!, "--metrics-budget"),
                Vmaf = vmafOn,
                VmafModelPath = parse.GetValue(vmafModel),
                Gpu = gpuOn,
                VmafCoreShare = share,
            };
            using var lifetime = new KernelLifetime();
            return new DisplayKernel(settings).Run(lifetime);
        });
        return CommandLineHost.Run("kernel-display", root, args);
    }
}
