using System.Diagnostics;
using System.Globalization;

namespace Aqs.Shared.Tests.Quality.Infrastructure;

/// <summary>Runs the real <c>ffmpeg</c> CLI and parses what its ssim / psnr filters write.</summary>
public static class FfmpegTool
{
    public static bool Available { get; } = Probe();

    public static void RequireOrIgnore()
    {
        if (!Available)
        {
            Assert.Ignore("ffmpeg CLI not on PATH: comparison with FFmpeg's filters skipped");
        }
    }

    public static void Run(string workDir, params string[] args)
    {
        var psi = new ProcessStartInfo("ffmpeg") { WorkingDirectory = workDir, RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add("-nostdin");
        psi.ArgumentList.Add("-hide_banner");
        psi.ArgumentList.Add("-loglevel");
        psi.ArgumentList.Add("error");
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        _ = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(120_000))
        {
            p.Kill(true);
            throw new TimeoutException($"ffmpeg {string.Join(' ', args)} did not finish in 120 s");
        }
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg {string.Join(' ', args)} failed ({p.ExitCode}): {stderr.Result}");
        }
    }

    /// <summary>
    /// Runs both filters in one ffmpeg process; then read them with <see cref="ReadSsim"/> / <see cref="ReadPsnr"/>.
    /// <paramref name="referenceC"/> runs FFmpeg's C code only (<c>-cpuflags 0</c>): FFmpeg 5.1's x86 SSE4
    /// <c>ssim_end_line</c> mis-handles a remainder of one window per row (it drops the row's last window and adds one
    /// made of stale sums from another plane: 8-bit planes whose width/4 − 1 is 1 more than a multiple of 4; fixed
    /// upstream later), so its default output is not FFmpeg's own definition there.
    /// </summary>
    public static void SsimAndPsnr(string workDir, string dist, string reference, bool referenceC = false) =>
        Run(workDir, [.. (referenceC ? new[] { "-cpuflags", "0" } : []), "-i", dist, "-i", reference, "-lavfi",
            "[0:v]split[d0][d1];[1:v]split[r0][r1];[d0][r0]ssim=stats_file=ssim.log[o0];[d1][r1]psnr,metadata=mode=print:file=psnr.log[o1]",
            "-map", "[o0]", "-f", "null", "-", "-map", "[o1]", "-f", "null", "-"]);

    /// <summary>
    /// True where FFmpeg 5.1's x86 SSE4 SSIM differs from its C code (see <see cref="SsimAndPsnr"/>): an 8-bit plane
    /// of at least 2x2 blocks whose count of windows per row, width/4 − 1, leaves 1 over a multiple of 4.
    /// </summary>
    public static bool SsimSse4RemainderDiffers(int bitDepth, int planeWidth, int planeHeight) =>
        bitDepth == 8 && planeWidth >> 2 >= 2 && planeHeight >> 2 >= 2 && ((planeWidth >> 2) - 1) % 4 == 1;

    /// <summary>Per-frame SSIM (Y,U,V,All) from <c>ssim=stats_file</c>; [0]=distorted, [1]=reference as in the reference set.</summary>
    public static List<double[]> Ssim(string workDir, string dist, string reference)
    {
        Run(workDir, "-i", dist, "-i", reference, "-lavfi", "[0:v][1:v]ssim=stats_file=ssim.log", "-f", "null", "-");
        return ReadSsim(workDir);
    }

    public static List<double[]> ReadSsim(string workDir)
    {
        var rows = new List<double[]>();
        foreach (var line in File.ReadLines(Path.Combine(workDir, "ssim.log")))
        {
            var values = new double[4] { 1, 1, 1, 1 };
            foreach (var field in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var kv = field.Split(':');
                if (kv.Length != 2)
                {
                    continue;
                }
                var index = kv[0] switch { "Y" => 0, "U" => 1, "V" => 2, "All" => 3, _ => -1 };
                if (index >= 0)
                {
                    values[index] = ParseDouble(kv[1]);
                }
            }
            rows.Add(values);
        }
        return rows;
    }

    /// <summary>Per-frame PSNR from the frame metadata (%f of a float): y,u,v,avg then mse y,u,v,avg.</summary>
    public static List<double[]> Psnr(string workDir, string dist, string reference)
    {
        Run(workDir, "-i", dist, "-i", reference, "-lavfi", "[0:v][1:v]psnr,metadata=mode=print:file=psnr.log", "-f", "null", "-");
        return ReadPsnr(workDir);
    }

    public static List<double[]> ReadPsnr(string workDir)
    {
        var rows = new List<double[]>();
        double[]? current = null;
        foreach (var line in File.ReadLines(Path.Combine(workDir, "psnr.log")))
        {
            if (line.StartsWith("frame:", StringComparison.Ordinal))
            {
                current = new double[8];
                rows.Add(current);
                continue;
            }
            var eq = line.IndexOf('=');
            if (current is null || eq < 0)
            {
                continue;
            }
            var key = line[..eq];
            var index = key switch
            {
                "lavfi.psnr.psnr.y" => 0, "lavfi.psnr.psnr.u" => 1, "lavfi.psnr.psnr.v" => 2, "lavfi.psnr.psnr_avg" => 3,
                "lavfi.psnr.mse.y" => 4, "lavfi.psnr.mse.u" => 5, "lavfi.psnr.mse.v" => 6, "lavfi.psnr.mse_avg" => 7,
                _ => -1,
            };
            if (index >= 0)
            {
                current[index] = ParseDouble(line[(eq + 1)..]);
            }
        }
        return rows;
    }

    public static double ParseDouble(string text) => text.Trim() switch
    {
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        "nan" or "-nan" => double.NaN,
        var t => double.Parse(t, CultureInfo.InvariantCulture),
    };

    private static bool Probe()
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("ffmpeg", "-version") { RedirectStandardOutput = true, RedirectStandardError = true })!;
            p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
