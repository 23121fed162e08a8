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
            Assert.That(noisy.Psnr.Average, Is.EqualTo(ffmpegAverage).Within(0.01));
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
