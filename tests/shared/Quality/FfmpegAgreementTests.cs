using Aqs.Shared.Frames;
using Aqs.Shared.Quality;
using Aqs.Shared.Tests.Quality.Infrastructure;

namespace Aqs.Shared.Tests.Quality;

/// <summary>
/// Self-made frames (every format, odd sizes, noise, blocks, saturation, identical and inverted planes),
/// written as y4m and scored by the real ffmpeg ssim/psnr filters: our per-frame and pooled values must
/// match. Needs no shared data, only the ffmpeg CLI.
/// </summary>
public class FfmpegAgreementTests
{
    // Odd and even sizes, alternated over the formats to keep the number of ffmpeg runs small.
    private static readonly (int W, int H)[] Sizes = [(45, 31), (130, 66), (67, 101)];

    private static IEnumerable<TestCaseData> Cases()
    {
        var i = 0;
        foreach (var format in PixelFormats.All)
        {
            var (w, h) = Sizes[i++ % Sizes.Length];
            yield return new TestCaseData(format, w, h).SetName($"Matches_ffmpeg_filters_{format}_{w}x{h}");
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Matches_ffmpeg_filters(PixelFormat format, int width, int height)
    {
        FfmpegTool.RequireOrIgnore();
        using var dir = new TempDirectory();
        var layout = new FrameLayout(width, height, format);
        var references = new List<byte[]>();
        var distorted = new List<byte[]>();
        for (var kind = 0; kind < 5; kind++)
        {
            var reference = SyntheticFrames.Reference(layout, kind + width);
            references.Add(reference);
            distorted.Add(SyntheticFrames.Distort(layout, reference, kind, kind + height));
        }
        Y4m.Write(dir.File("ref.y4m"), layout, references);
        Y4m.Write(dir.File("dist.y4m"), layout, distorted);
        var ffmpeg = FfmpegScores.Of(dir.Path, "dist.y4m", "ref.y4m");
        Assert.That(ffmpeg.Ssim, Has.Count.EqualTo(5));
        Assert.That(ffmpeg.Psnr, Has.Count.EqualTo(5));

        var ssim = new SsimMetric(layout);
        var psnr = new PsnrMetric(layout);
        var ssimPool = new SsimPool();
        var psnrPool = new PsnrPool(layout);
        for (var i = 0; i < 5; i++)
        {
            var r = PlanarFrame.FromPacked(layout, references[i]);
            var d = PlanarFrame.FromPacked(layout, distorted[i]);
            var s = ssim.Compute(r, d);
            var p = psnr.Compute(r, d);
            ssimPool.Add(s);
            psnrPool.Add(p);
            ffmpeg.AssertFrame(layout, i, s, p, $"frame {i} (kind {i})");
        }
        Assert.That(double.IsFinite(psnrPool.Result.Average) && double.IsFinite(ssimPool.Result.All), "pooled values are finite");
    }

    /// <summary>
    /// Issue 14's clips: x264 (crf 18) of noisy testsrc2 at 854x480 4:2:0 (chroma 427 wide: 105 windows a row), and
    /// noise over noisy testsrc2 at 721x405 4:2:2 (chroma 361 wide: 89 windows). Ours equals FFmpeg's C code on every plane; FFmpeg 5.1's default
    /// x86 build differs on the chroma planes only, by its SSE4 remainder (FfmpegTool.SsimAndPsnr), which drops each
    /// row's last window and adds one made of stale sums.
    /// </summary>
    [TestCase(854, 480, "yuv420p", TestName = "Ssim_matches_ffmpeg_c_code_on_odd_chroma_widths_854x480_yuv420p")]
    [TestCase(721, 405, "yuv422p", TestName = "Ssim_matches_ffmpeg_c_code_on_odd_chroma_widths_721x405_yuv422p")]
    public void Ssim_matches_ffmpeg_c_code_on_odd_chroma_widths(int width, int height, string pixFmt)
    {
        FfmpegTool.RequireOrIgnore();
        using var dir = new TempDirectory();
        var source = $"testsrc2=s={width + width % 2}x{height + height % 2}:r=25:d=0.4,scale={width}:{height},noise=alls=20:allf=t,format={pixFmt}";
        if (width % 2 == 0)
        {
            FfmpegTool.Run(dir.Path, "-f", "lavfi", "-i", source, "-c:v", "libx264", "-crf", "18", "-preset", "veryfast", "dist.mkv", "-f", "yuv4mpegpipe", "ref.y4m");
            FfmpegTool.Run(dir.Path, "-i", "dist.mkv", "-f", "yuv4mpegpipe", "dist.y4m");
        }
        else
        {
            // libx264 takes no odd widths: the distortion is a second noise pass instead.
            FfmpegTool.Run(dir.Path, "-f", "lavfi", "-i", source, "-filter_complex", "[0]split[r][d];[d]noise=alls=12:allf=t:all_seed=7[n]",
                "-map", "[r]", "-f", "yuv4mpegpipe", "ref.y4m", "-map", "[n]", "-f", "yuv4mpegpipe", "dist.y4m");
        }
        var (layout, references) = Y4m.Read(dir.File("ref.y4m"));
        var (distLayout, distorted) = Y4m.Read(dir.File("dist.y4m"));
        Assert.That(distLayout, Is.EqualTo(layout));
        Assert.That(layout, Is.EqualTo(new FrameLayout(width, height, pixFmt == "yuv420p" ? PixelFormat.Yuv420p : PixelFormat.Yuv422p)));
        Assert.That(FfmpegTool.SsimSse4RemainderDiffers(8, layout.PlaneWidth(1), layout.PlaneHeight(1)), Is.True, "the chroma planes are in the class FFmpeg's SSE4 code mis-handles");
        var ffmpeg = FfmpegScores.Of(dir.Path, "dist.y4m", "ref.y4m");
        Assert.That(ffmpeg.Ssim, Has.Count.EqualTo(references.Count));
        var ssim = new SsimMetric(layout);
        var psnr = new PsnrMetric(layout);
        var pool = new SsimPool();
        for (var i = 0; i < references.Count; i++)
        {
            var r = PlanarFrame.FromPacked(layout, references[i]);
            var d = PlanarFrame.FromPacked(layout, distorted[i]);
            var s = ssim.Compute(r, d);
            pool.Add(s);
            ffmpeg.AssertFrame(layout, i, s, psnr.Compute(r, d), $"frame {i}");
        }
        var defaultU = ffmpeg.DefaultSsim.Average(row => row[1]);
        TestContext.Out.WriteLine($"{width}x{height} {pixFmt}: ours U {pool.Result.U:F6}, FFmpeg C {ffmpeg.Ssim.Average(row => row[1]):F6}, FFmpeg 5.1 default x86 {defaultU:F6}");
    }
}
