using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Aqs.Kernel.Preprocess.Sources;
using Aqs.Shared.Cli;
using Aqs.Shared.Frames;
using Aqs.Shared.Gpu;
using Aqs.Shared.Quality;
using Aqs.Shared.Quality.Vmaf;

namespace Aqs.Orchestration.Quality;

/// <summary>
/// <c>aqs quality --ref REF --dist DIST</c>: PSNR and SSIM as FFmpeg's filters compute them and VMAF
/// v0.6.1 as libvmaf does, per frame and pooled, for any two inputs Kernel B can read.
/// </summary>
public static class QualityCommand
{
    public static Command Create()
    {
        var reference = new Option<string>("--ref") { Description = "reference video (y4m, yuv with --size/--fps/--pix-fmt, or any file libavformat opens)", Required = true };
        var distorted = new Option<string>("--dist") { Description = "distorted video, same size, frame count and pixel format", Required = true };
        var json = new Option<string?>("--json") { Description = "write per-frame and pooled values as JSON to this file" };
        var model = new Option<string?>("--vmaf-model") { Description = "libvmaf JSON model (vmaf_v0.6.1.json); default: AQS_VMAF_MODEL or ../shared/data/quality-reference/model" };
        var noVmaf = new Option<bool>("--no-vmaf") { Description = "skip VMAF" };
        var vmafThreads = new Option<int>("--vmaf-threads") { Description = "CPU threads for VMAF when no GPU is used (0 = one per core)", DefaultValueFactory = _ => 0 };
        var gpu = new Option<string>("--gpu") { Description = "auto|off: SSIM/PSNR and VMAF on a CUDA or OpenCL GPU when one is present", DefaultValueFactory = _ => "auto" };
        var size = new Option<string?>("--size") { Description = "frame size WxH for raw .yuv inputs" };
        var fps = new Option<string?>("--fps") { Description = "frame rate for raw .yuv inputs" };
        var pixFmt = new Option<string?>("--pix-fmt") { Description = "pixel format for raw .yuv inputs" };
        var command = new Command("quality", "compare two videos: PSNR, SSIM (as FFmpeg), VMAF v0.6.1 (as libvmaf)")
        {
            reference, distorted, json, model, noVmaf, vmafThreads, gpu, size, fps, pixFmt,
        };
        command.SetAction(parse =>
        {
            SourceFactory.ContainerOpener ??= MediaFileSource.Open;
            var open = new SourceOpenOptions { Size = parse.GetValue(size), Fps = parse.GetValue(fps), PixFmt = parse.GetValue(pixFmt) };
            using var refSource = SourceFactory.Open(parse.GetValue(reference)!, open);
            using var distSource = SourceFactory.Open(parse.GetValue(distorted)!, open);
            VmafModel? vmafModel = null;
            if (!parse.GetValue(noVmaf) && !VmafModel.TryLoad(parse.GetValue(model), out vmafModel, out var reason))
            {
                Console.Error.WriteLine($"aqs quality: VMAF unavailable: {reason}");
            }
            var useGpu = parse.GetValue(gpu) switch
            {
                "auto" => true,
                "off" => false,
                var other => throw new UserFacingException($"--gpu: expected auto or off, got '{other}'", CommandLineHost.ExitUsage),
            };
            using var gpuContext = useGpu ? GpuContext.TryCreate(line => Console.Error.WriteLine($"aqs quality: {line}")) : null;
            var threads = parse.GetValue(vmafThreads);
            if (threads < 0 || threads > VmafMetric.MaximumThreads)
            {
                throw new UserFacingException($"--vmaf-threads: must be 0..{VmafMetric.MaximumThreads}, got {threads}", CommandLineHost.ExitUsage);
            }
            var result = Compare(refSource, distSource, vmafModel, Console.Error, gpuContext, threads);
            Console.Out.Write(result.Summary());
            if (parse.GetValue(json) is { } path)
            {
                File.WriteAllText(path, result.ToJson());
            }
            return 0;
        });
        return command;
    }

    public static QualityComparison Compare(IFrameSource reference, IFrameSource distorted, VmafModel? vmafModel, TextWriter progress,
        GpuContext? gpu = null, int vmafThreads = 1)
    {
        var layout = reference.Layout;
        using var vmaf = vmafModel is not null && layout.Width >= VmafMetric.MinimumSize && layout.Height >= VmafMetric.MinimumSize
            ? VmafScorers.Create(vmafModel, layout.Width, layout.Height, layout.Format.BitDepth(), gpu, vmafThreads)
            : null;
        var vmafScores = new List<double>();
        var interactive = !Console.IsErrorRedirected;
        var report = QualityReport.Compute(
            layout, Frames(reference), distorted.Layout, Frames(distorted),
            interactive ? new FrameCountLine(progress) : null,
            (long _, in PlanarFrame r, in PlanarFrame d) =>
            {
                vmaf?.ComputeFeatures(r.Plane0, r.Stride0, d.Plane0, d.Stride0);
                TakeVmafScores(vmaf, vmafScores);
            },
            gpu);
        vmaf?.Flush();
        TakeVmafScores(vmaf, vmafScores);
        if (interactive)
        {
            progress.WriteLine($"\raqs quality: {report.Frames.Count} frames");
        }
        var frames = report.Frames
            .Select(f => new QualityComparison.Frame(f.Index, f.Ssim, f.Psnr, f.Index < vmafScores.Count ? vmafScores[(int)f.Index] : double.NaN))
            .ToList();
        return new QualityComparison(layout, frames, report.Ssim, report.Psnr, vmaf?.PooledMean ?? double.NaN);
    }

    /// <summary>Rewrites one progress line on the terminal, synchronously (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class FrameCountLine(TextWriter writer) : IProgress<long>
    {
        public void Report(long done)
        {
            if (done % 10 == 0)
            {
                writer.Write($"\raqs quality: {done} frames");
            }
        }
    }

    /// <summary>The source's frames, each read into the same buffer (scored before the next is read).</summary>
    private static IEnumerable<ReadOnlyMemory<byte>> Frames(IFrameSource source)
    {
        var buffer = new byte[source.Layout.FrameSize];
        while (source.TryReadFrame(buffer, out _))
        {
            yield return buffer;
        }
    }

    private static void TakeVmafScores(IVmafScorer? vmaf, List<double> scores)
    {
        // Scores come in frame order, one frame behind the features (motion2 needs the next frame).
        while (vmaf is not null && vmaf.TryTakeScore(out var frameIndex, out var score))
        {
            while (scores.Count <= frameIndex)
            {
                scores.Add(double.NaN);
            }
            scores[frameIndex] = score;
        }
    }
}

/// <summary>Per-frame and pooled values of one comparison.</summary>
public sealed record QualityComparison(FrameLayout Layout, IReadOnlyList<QualityComparison.Frame> Frames, SsimResult Ssim, PsnrResult Psnr, double VmafMean)
{
    public readonly record struct Frame(long Index, SsimResult Ssim, PsnrResult Psnr, double Vmaf);

    public string Summary() => string.Create(CultureInfo.InvariantCulture,
        $"""
        {Frames.Count} frames, {Layout}
        SSIM Y:{Ssim.Y:F6} U:{Ssim.U:F6} V:{Ssim.V:F6} All:{Ssim.All:F6}
        PSNR y:{Psnr.Y:F2} u:{Psnr.U:F2} v:{Psnr.V:F2} average:{Psnr.Average:F2}
        VMAF v0.6.1: {(double.IsNaN(VmafMean) ? "unavailable" : VmafMean.ToString("F3", CultureInfo.InvariantCulture))}

        """);

    public string ToJson()
    {
        var document = new
        {
            frames = Frames.Count,
            width = Layout.Width,
            height = Layout.Height,
            pix_fmt = Layout.Format.FfmpegName(),
            pooled = new
            {
                ssim = new { y = Ssim.Y, u = Ssim.U, v = Ssim.V, all = Ssim.All },
                psnr = new { y = Psnr.Y, u = Psnr.U, v = Psnr.V, average = Psnr.Average },
                vmaf = double.IsNaN(VmafMean) ? (double?)null : VmafMean,
            },
            per_frame = Frames.Select(f => new
            {
                n = f.Index,
                ssim_all = f.Ssim.All,
                ssim_y = f.Ssim.Y,
                psnr_avg = f.Psnr.Average,
                psnr_y = f.Psnr.Y,
                vmaf = double.IsNaN(f.Vmaf) ? (double?)null : f.Vmaf,
            }),
        };
        return JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true });
    }
}
