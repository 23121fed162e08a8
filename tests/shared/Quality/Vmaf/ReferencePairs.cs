using System.Diagnostics;
using System.Text.Json;
using Aqs.Shared.Tests.Quality.Infrastructure;

namespace Aqs.Shared.Tests.Quality.Vmaf;

/// <summary>
/// The quality-reference set in ../shared/data/quality-reference (or $AQS_SHARED_DATA/quality-reference):
/// its expected.json, and the clips decoded to raw planes with the real ffmpeg.
/// </summary>
internal static class ReferencePairs
{
    public static string? Directory
    {
        get
        {
            var data = SharedData.Directory;
            var candidate = data is null ? null : Path.Combine(data, "quality-reference");
            return candidate is not null && File.Exists(Path.Combine(candidate, "expected.json")) ? candidate : null;
        }
    }

    public const string Missing = "quality reference data absent: no ../shared/data/quality-reference/expected.json (set AQS_SHARED_DATA)";

    public static IEnumerable<string> Ids()
    {
        var dir = Directory;
        if (dir is null)
        {
            return ["(no data)"];
        }
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "expected.json")));
        return doc.RootElement.GetProperty("pairs").EnumerateArray().Select(p => p.GetProperty("id").GetString()!).ToList();
    }

    public static JsonElement Pair(string id)
    {
        var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory!, "expected.json")));
        return doc.RootElement.GetProperty("pairs").EnumerateArray().First(p => p.GetProperty("id").GetString() == id).Clone();
    }

    /// <summary>Decodes a clip to raw planes in its own pixel format; returns the bytes.</summary>
    public static byte[] Decode(string file, string pixFmt)
    {
        var temp = Path.Combine(Path.GetTempPath(), "aqs-vmaf-" + Guid.NewGuid().ToString("N") + ".yuv");
        try
        {
            var psi = new ProcessStartInfo("ffmpeg")
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (var a in new[] { "-nostdin", "-v", "error", "-y", "-threads", "1", "-i", file, "-f", "rawvideo", "-pix_fmt", pixFmt, temp })
            {
                psi.ArgumentList.Add(a);
            }
            using var p = Process.Start(psi)!;
            var err = p.StandardError.ReadToEndAsync();
            p.StandardOutput.ReadToEnd();
            if (!p.WaitForExit(120_000))
            {
                p.Kill();
                Assert.Fail($"ffmpeg did not finish decoding {file}");
            }
            Assert.That(p.ExitCode, Is.Zero, $"ffmpeg failed on {file}: {err.Result}");
            return File.ReadAllBytes(temp);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
