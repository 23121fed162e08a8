using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Aqs.Shared.Frames;
using Aqs.Shared.Quality.Vmaf;
using Aqs.Shared.Tests.Quality.Infrastructure;

namespace Aqs.Shared.Tests.Quality.Vmaf;

/// <summary>
/// libvmaf-table.json beside this file: pairs made by ffmpeg lavfi commands at odd and even sizes, 8, 10 and 12 bit,
/// with the per-frame features and scores libvmaf 3.2.0's C code gave (the table says how it was built and run).
/// The test runs the same commands, checks the raw clips are the bytes libvmaf scored, and checks every feature we
/// compute and every score against the table. Needs only ffmpeg and the VMAF model.
/// </summary>
public class LibvmafTableTests
{
    private static string TablePath => Path.Combine(SharedData.RepositoryRoot ?? ".", "tests", "shared", "Quality", "Vmaf", "libvmaf-table.json");

    private static IEnumerable<TestCaseData> Pairs()
    {
        if (!File.Exists(TablePath))
        {
            yield return new TestCaseData("(table not found)").SetName("Vmaf_matches_libvmaf_table(table not found)");
            yield break;
        }
        using var doc = JsonDocument.Parse(File.ReadAllText(TablePath));
        foreach (var pair in doc.RootElement.GetProperty("pairs").EnumerateArray())
        {
            var id = pair.GetProperty("id").GetString()!;
            yield return new TestCaseData(id).SetName($"Vmaf_matches_libvmaf_table({id})");
        }
    }

    [TestCaseSource(nameof(Pairs))]
    public void Vmaf_matches_libvmaf_table(string id)
    {
        if (!File.Exists(TablePath))
        {
            Assert.Fail($"{TablePath} is missing: the table is part of the repository");
        }
        FfmpegTool.RequireOrIgnore();
        if (!VmafModel.TryLoad(null, out var model, out var reason))
        {
            Assert.Ignore(reason);
        }
        using var doc = JsonDocument.Parse(File.ReadAllText(TablePath));
        var pair = doc.RootElement.GetProperty("pairs").EnumerateArray().First(p => p.GetProperty("id").GetString() == id);
        Assert.That(PixelFormats.TryParseFfmpegName(pair.GetProperty("pix_fmt").GetString()!, out var format), Is.True, $"{id}: pixel format");
        var layout = new FrameLayout(pair.GetProperty("width").GetInt32(), pair.GetProperty("height").GetInt32(), format);

        using var dir = new TempDirectory();
        // The commands that make ref.yuv and dist.yuv (the table's others made the vmaf tool's copies and ran it).
        foreach (var command in pair.GetProperty("commands").GetProperty("clips").EnumerateArray().Select(c => c.GetString()!))
        {
            Shell(dir.Path, command);
        }
        var refRaw = File.ReadAllBytes(dir.File("ref.yuv"));
        var disRaw = File.ReadAllBytes(dir.File("dist.yuv"));
        var md5 = pair.GetProperty("raw_md5");
        var madeHere = (Convert.ToHexStringLower(MD5.HashData(refRaw)), Convert.ToHexStringLower(MD5.HashData(disRaw)));
        if (madeHere != (md5.GetProperty("ref.yuv").GetString(), md5.GetProperty("dist.yuv").GetString()))
        {
            Assert.Ignore($"{id}: this machine's ffmpeg made other clips than the table's ({doc.RootElement.GetProperty("ffmpeg").GetString()}); remake the table with it");
        }

        var frames = pair.GetProperty("per_frame");
        Assert.That(refRaw.Length, Is.EqualTo(frames.GetArrayLength() * layout.FrameSize), $"{id}: frames");
        var ours = LibvmafComparison.Score(model!, layout, refRaw, disRaw);
        LibvmafComparison.AssertAgrees(id, ours, (feature, i) => frames[i].GetProperty(feature).GetDouble(), pair.GetProperty("vmaf_mean").GetDouble());
    }

    private static void Shell(string workDir, string command)
    {
        var psi = new ProcessStartInfo("/bin/sh") { WorkingDirectory = workDir, RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(command.Replace("ffmpeg -nostdin", "ffmpeg -nostdin -v error", StringComparison.Ordinal));
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(120_000))
        {
            p.Kill(true);
            Assert.Fail($"did not finish in 120 s: {command}");
        }
        Assert.That(p.ExitCode, Is.Zero, $"{command}: {stderr.Result}");
    }
}
