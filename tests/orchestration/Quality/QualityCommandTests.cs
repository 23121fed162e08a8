using System.Diagnostics;
using System.Text.Json;
using Aqs.Orchestration.Quality;
using Aqs.Kernel.Preprocess.Sources;
using Aqs.Shared.Cli;

namespace Aqs.Orchestration.Tests.Quality;

public class QualityCommandTests
{
    private string _dir = "";

    [SetUp]
    public void MakeDirectory()
    {
        _dir = Path.Combine(Path.GetTempPath(), "aqs-quality-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    [Test]
    [CancelAfter(120_000)]
    public void Psnr_of_a_compressed_copy_agrees_with_ffmpeg_and_identical_inputs_score_best()
    {
        var reference = Ffmpeg("ref.y4m", "-f lavfi -i testsrc2=size=160x96:rate=25 -frames:v 8 -pix_fmt yuv420p");
        var distorted = Ffmpeg("dist.y4m", $"-i {reference} -vf noise=alls=12:allf=t -pix_fmt yuv420p");
        var ffmpegLog = Run("ffmpeg", $"-hide_banner -i {distorted} -i {reference} -lavfi psnr -f null -");
        var ffmpegAverage = double.Parse(System.Text.RegularExpressions.Regex.Match(ffmpegLog, @"average:([0-9.]+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        var noisy = Compare(reference, distorted);
        var same = Compare(reference, reference);

        Assert.Multiple(() =>
        {
            Assert.That(noisy.Frames, Has.Count.EqualTo(8));
            // ffmpeg's end-of-run line prints 2 decimals.
            Assert.That(noisy.Psnr.Average, Is.EqualTo(ffmpegAverage).Within(0.005 + 1e-9));
            Assert.That(same.Ssim.All, Is.EqualTo(1.0).Within(1e-9));
            Assert.That(noisy.Ssim.All, Is.LessThan(same.Ssim.All));
        });
        using var json = JsonDocument.Parse(noisy.ToJson());
        Assert.That(json.RootElement.GetProperty("per_frame").GetArrayLength(), Is.EqualTo(8));
    }

    [Test]
    [CancelAfter(60_000)]
    public void Inputs_of_different_sizes_are_refused_in_one_line()
    {
        var small = Ffmpeg("a.y4m", "-f lavfi -i testsrc2=size=160x96:rate=25 -frames:v 2 -pix_fmt yuv420p");
        var large = Ffmpeg("b.y4m", "-f lavfi -i testsrc2=size=176x96:rate=25 -frames:v 2 -pix_fmt yuv420p");

        var ex = Assert.Throws<UserFacingException>(() => Compare(small, large));
        Assert.That(ex!.Message, Does.Contain("160x96").And.Contain("176x96").And.Not.Contain("\n"));
    }

    /// <summary>
    /// The README's claim, run as a user runs it: <c>aqs quality</c> on the odd-sized pairs of libvmaf-table.json
    /// (4:2:0 and 4:4:4, 8 and 10 bit, raw inputs) gives libvmaf's VMAF per frame and pooled to its printed
    /// precision, and per-frame SSIM and PSNR equal to ffmpeg's C filters to 1e-6.
    /// </summary>
    [TestCase("o8_353x289_yuv420p_vp9")]
    [TestCase("o8_353x289_yuv444p_x264")]
    [TestCase("o10_333x257_yuv420p10le_vp9")]
    [CancelAfter(180_000)]
    public void Aqs_quality_agrees_with_libvmaf_and_ffmpeg_at_odd_sizes(string id)
    {
        var table = Path.Combine(RepositoryRoot(), "tests", "shared", "Quality", "Vmaf", "libvmaf-table.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(table));
        var pair = doc.RootElement.GetProperty("pairs").EnumerateArray().First(p => p.GetProperty("id").GetString() == id);
        if (!Aqs.Shared.Quality.Vmaf.VmafModel.TryLoad(null, out _, out var reason))
        {
            Assert.Ignore(reason);
        }
        foreach (var command in pair.GetProperty("commands").GetProperty("clips").EnumerateArray())
        {
            Run("/bin/sh", ["-c", command.GetString()!.Replace("ffmpeg -nostdin", "ffmpeg -nostdin -v error", StringComparison.Ordinal)]);
        }
        var md5 = pair.GetProperty("raw_md5");
        foreach (var file in new[] { "ref.yuv", "dist.yuv" })
        {
            var made = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(File.ReadAllBytes(Path.Combine(_dir, file))));
            if (made != md5.GetProperty(file).GetString())
            {
                Assert.Ignore($"{id}: this machine's ffmpeg made another {file} than the table's");
            }
        }
        var size = $"{pair.GetProperty("width").GetInt32()}x{pair.GetProperty("height").GetInt32()}";
        var pixFmt = pair.GetProperty("pix_fmt").GetString()!;
        var raw = new[] { "--size", size, "--fps", "25", "--pix-fmt", pixFmt };
        Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "aqs.dll"), "quality", "--ref", "ref.yuv", "--dist", "dist.yuv", .. raw, "--gpu", "off", "--json", "out.json"]);
        Run("ffmpeg", ["-v", "error", "-cpuflags", "0", "-f", "rawvideo", "-pix_fmt", pixFmt, "-s", size, "-i", "dist.yuv", "-f", "rawvideo", "-pix_fmt", pixFmt, "-s", size, "-i", "ref.yuv",
            "-lavfi", "[0][1]ssim=stats_file=ssim.log;[0][1]psnr,metadata=mode=print:file=psnr.log", "-f", "null", "-"]);

        using var ours = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "out.json")));
        var frames = ours.RootElement.GetProperty("per_frame").EnumerateArray().ToArray();
        var expected = pair.GetProperty("per_frame");
        var ssimAll = File.ReadLines(Path.Combine(_dir, "ssim.log")).Select(l => Field(l, "All:")).ToArray();
        var psnrAvg = File.ReadLines(Path.Combine(_dir, "psnr.log")).Where(l => l.StartsWith("lavfi.psnr.psnr_avg=", StringComparison.Ordinal)).Select(l => Field(l, "=")).ToArray();
        Assert.That(frames, Has.Length.EqualTo(expected.GetArrayLength()));
        Assert.Multiple(() =>
        {
            for (var i = 0; i < frames.Length; i++)
            {
                Assert.That(frames[i].GetProperty("vmaf").GetDouble(), Is.EqualTo(expected[i].GetProperty("vmaf").GetDouble()).Within(PrintedDecimals), $"frame {i} VMAF");
                Assert.That(frames[i].GetProperty("ssim_all").GetDouble(), Is.EqualTo(ssimAll[i]).Within(PrintedDecimals * 2), $"frame {i} SSIM All");
                Assert.That((double)(float)frames[i].GetProperty("psnr_avg").GetDouble(), Is.EqualTo(psnrAvg[i]).Within(PrintedDecimals * 2), $"frame {i} PSNR average");
            }
            Assert.That(ours.RootElement.GetProperty("pooled").GetProperty("vmaf").GetDouble(), Is.EqualTo(pair.GetProperty("vmaf_mean").GetDouble()).Within(PrintedDecimals), "pooled VMAF");
        });
    }

    /// <summary>libvmaf and ffmpeg print 6 decimals: a value equal to theirs is within 5e-7 (plus the last bits of a double).</summary>
    private const double PrintedDecimals = 5e-7 + 1e-9;

    private static double Field(string line, string key)
    {
        var at = line.IndexOf(key, StringComparison.Ordinal) + key.Length;
        var end = line.IndexOf(' ', at);
        return double.Parse(end < 0 ? line[at..] : line[at..end], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Aqs.Quad.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Aqs.Quad.sln not found above the test binaries");
    }

    private void Run(string program, string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = _dir };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, $"{program} {string.Join(' ', arguments)}: {stderr}");
        _ = stdout.Result;
    }

    private static QualityComparison Compare(string reference, string distorted)
    {
        using var r = SourceFactory.Open(reference, new SourceOpenOptions());
        using var d = SourceFactory.Open(distorted, new SourceOpenOptions());
        return QualityCommand.Compare(r, d, vmafModel: null, TextWriter.Null);
    }

    private string Ffmpeg(string name, string arguments)
    {
        var path = Path.Combine(_dir, name);
        Run("ffmpeg", $"-hide_banner -loglevel error -y {arguments} {path}");
        return path;
    }

    private static string Run(string program, string arguments)
    {
        var info = new ProcessStartInfo(program, arguments) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, stderr);
        return stdout.Result + stderr;
    }
}
