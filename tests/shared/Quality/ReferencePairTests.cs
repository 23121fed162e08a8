using System.Globalization;
using System.Text.Json;
using Aqs.Shared.Frames;
using Aqs.Shared.Quality;
using Aqs.Shared.Tests.Quality.Infrastructure;

namespace Aqs.Shared.Tests.Quality;

/// <summary>
/// Every pair of ../shared/data/quality-reference: decoded with the ffmpeg CLI to y4m, scored by us, and
/// compared with the values FFmpeg's filters gave (expected.json), per frame and pooled, to the 6 decimals they
/// were printed with (<see cref="FfmpegScores.Tolerance"/>; per-frame PSNR rounded to float as FFmpeg keeps it).
/// </summary>
public class ReferencePairTests
{
    private const double Tolerance = FfmpegScores.Tolerance;

    private static IEnumerable<TestCaseData> Pairs()
    {
        var data = SharedData.Directory;
        var expected = data is null ? null : Path.Combine(data, "quality-reference", "expected.json");
        if (expected is null || !File.Exists(expected))
        {
            yield return new TestCaseData("(absent)").SetName("Reference_pair_agrees_with_ffmpeg(absent)");
            yield break;
        }
        using var doc = JsonDocument.Parse(File.ReadAllText(expected));
        foreach (var pair in doc.RootElement.GetProperty("pairs").EnumerateArray())
        {
            var id = pair.GetProperty("id").GetString()!;
            yield return new TestCaseData(id).SetName($"Reference_pair_agrees_with_ffmpeg({id})");
        }
    }

    [TestCaseSource(nameof(Pairs))]
    public void Reference_pair_agrees_with_ffmpeg(string id)
    {
        var root = SharedData.QualityReferenceOrIgnore();
        FfmpegTool.RequireOrIgnore();
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "expected.json")));
        var pair = doc.RootElement.GetProperty("pairs").EnumerateArray().First(p => p.GetProperty("id").GetString() == id);
        var pixFmt = pair.GetProperty("pix_fmt").GetString()!;
        using var dir = new TempDirectory();
        var extra = pixFmt == "yuv420p" ? Array.Empty<string>() : ["-strict", "-1"];
        var refFile = pair.GetProperty("reference").GetProperty("file");
        if (refFile.ValueKind == JsonValueKind.String && File.Exists(Path.Combine(root, refFile.GetString()!)))
        {
            FfmpegTool.Run(dir.Path, ["-i", Path.Combine(root, refFile.GetString()!), "-pix_fmt", pixFmt, .. extra, "-f", "yuv4mpegpipe", "ref.y4m"]);
        }
        else
        {
            var reference = pair.GetProperty("reference");
            var frames = pair.GetProperty("frames").GetInt32().ToString(CultureInfo.InvariantCulture);
            var filter = reference.GetProperty("extra_filter");
            string[] vf = filter.ValueKind == JsonValueKind.String ? ["-vf", filter.GetString()!] : [];
            FfmpegTool.Run(dir.Path, ["-f", "lavfi", "-i", reference.GetProperty("lavfi_source").GetString()!, "-frames:v", frames, .. vf, "-pix_fmt", pixFmt, .. extra, "-f", "yuv4mpegpipe", "ref.y4m"]);
        }
        FfmpegTool.Run(dir.Path, ["-i", Path.Combine(root, pair.GetProperty("distorted").GetProperty("file").GetString()!), "-pix_fmt", pixFmt, .. extra, "-f", "yuv4mpegpipe", "dist.y4m"]);

        var ssimExpected = pair.GetProperty("ssim").GetProperty("per_frame");
        var psnrExpected = pair.GetProperty("psnr").GetProperty("per_frame");
        using var refReader = new Y4mReader(dir.File("ref.y4m"));
        using var distReader = new Y4mReader(dir.File("dist.y4m"));
        var layout = refReader.Layout;
        Assert.That(distReader.Layout, Is.EqualTo(layout));
        var ssim = new SsimMetric(layout);
        var psnr = new PsnrMetric(layout);
        var ssimPool = new SsimPool();
        var psnrPool = new PsnrPool(layout);
        double maxSsim = 0, maxPsnr = 0;
        var n = 0;
        while (refReader.ReadFrame() is { } refFrame)
        {
            var distFrame = distReader.ReadFrame() ?? throw new AssertionException($"{id}: distorted clip has fewer frames");
            var s = ssim.Compute(PlanarFrame.FromPacked(layout, refFrame), PlanarFrame.FromPacked(layout, distFrame));
            var p = psnr.Compute(PlanarFrame.FromPacked(layout, refFrame), PlanarFrame.FromPacked(layout, distFrame));
            ssimPool.Add(s);
            psnrPool.Add(p);
            foreach (var (name, value) in new[] { ("Y", s.Y), ("U", s.U), ("V", s.V), ("All", s.All) })
            {
                var expected = Number(ssimExpected.GetProperty(name)[n]);
                maxSsim = Math.Max(maxSsim, Math.Abs(value - expected));
                Assert.That(value, Is.EqualTo(expected).Within(Tolerance), $"{id} frame {n} SSIM {name}");
            }
            foreach (var (name, value) in new[] { ("psnr_y", p.Y), ("psnr_u", p.U), ("psnr_v", p.V), ("psnr_avg", p.Average) })
            {
                var expected = Number(psnrExpected.GetProperty(name)[n]);
                if (double.IsPositiveInfinity(expected))
                {
                    Assert.That(value, Is.EqualTo(Decibels.Cap), $"{id} frame {n} {name}: identical planes report the cap");
                    continue;
                }
                // FFmpeg's frame metadata holds a float.
                maxPsnr = Math.Max(maxPsnr, Math.Abs((float)value - expected));
                Assert.That((double)(float)value, Is.EqualTo(expected).Within(Tolerance), $"{id} frame {n} {name}");
            }
            n++;
        }
        Assert.That(n, Is.EqualTo(pair.GetProperty("frames").GetInt32()), $"{id}: frame count");

        var pooledPsnr = psnrPool.Result;
        var summary = pair.GetProperty("psnr").GetProperty("summary");
        double maxPooledPsnr = 0;
        foreach (var (name, value) in new[] { ("y", pooledPsnr.Y), ("u", pooledPsnr.U), ("v", pooledPsnr.V), ("average", pooledPsnr.Average), ("min", psnrPool.MinAverage), ("max", psnrPool.MaxAverage) })
        {
            var expected = Number(summary.GetProperty(name));
            if (double.IsPositiveInfinity(expected))
            {
                Assert.That(value, Is.EqualTo(Decibels.Cap), $"{id} pooled psnr {name}");
                continue;
            }
            maxPooledPsnr = Math.Max(maxPooledPsnr, Math.Abs(value - expected));
            Assert.That(value, Is.EqualTo(expected).Within(Tolerance), $"{id} pooled psnr {name}");
        }
        var pooledSsim = ssimPool.Result;
        var ssimSummary = pair.GetProperty("ssim").GetProperty("summary");
        double maxPooledSsim = 0;
        foreach (var (name, value) in new[] { ("Y", pooledSsim.Y), ("U", pooledSsim.U), ("V", pooledSsim.V), ("All", pooledSsim.All) })
        {
            var expected = Number(ssimSummary.GetProperty(name));
            maxPooledSsim = Math.Max(maxPooledSsim, Math.Abs(value - expected));
            Assert.That(value, Is.EqualTo(expected).Within(Tolerance), $"{id} pooled ssim {name}");
        }
        var expectedAllDb = Number(ssimSummary.GetProperty("All_dB"));
        Assert.That(pooledSsim.AllDb, Is.EqualTo(double.IsPositiveInfinity(expectedAllDb) ? Decibels.Cap : expectedAllDb).Within(Tolerance), $"{id} pooled ssim dB");
        TestContext.Out.WriteLine(FormattableString.Invariant(
            $"AGREEMENT {id}: max |dSSIM| frame {maxSsim:E2} pooled {maxPooledSsim:E2}; max |dPSNR| frame {maxPsnr:E2} dB pooled {maxPooledPsnr:E2} dB"));
    }

    private static double Number(JsonElement e) => e.ValueKind == JsonValueKind.String
        ? e.GetString() switch
        {
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var s => double.Parse(s!, CultureInfo.InvariantCulture),
        }
        : e.GetDouble();
}
