using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Aqs.Bench.Quality;

/// <summary>
/// libvmaf's <c>vmaf</c> command-line tool, when this machine has one (<c>AQS_VMAF_TOOL</c>, else <c>vmaf</c> on
/// PATH; libvmaf is no Debian package, so it is built from Netflix/vmaf by whoever runs the bench), measured like
/// our code is: its cost per frame with its start-up, model loading and first frame subtracted. It runs once on every
/// frame and once on the first frame only (<c>--frame_cnt 1</c>); the per-frame cost is the difference over the other
/// frames, in CPU time (user + system of the child, from getrusage) and in wall time. What stays in is reading the
/// y4m frames (a copy from the page cache, small beside the features).
/// </summary>
internal sealed partial class LibvmafTool
{
    private LibvmafTool(string path, string version)
    {
        Path = path;
        Version = version;
    }

    public string Path { get; }

    /// <summary>What <c>vmaf --version</c> printed (libvmaf's commit).</summary>
    public string Version { get; }

    /// <summary>One line for reports: where libvmaf came from, or why it was not measured.</summary>
    public static string Describe(LibvmafTool? tool) => tool is null
        ? "libvmaf not measured: no `vmaf` tool here (set AQS_VMAF_TOOL to a vmaf built from Netflix/vmaf); ratios against it are n/a"
        : $"libvmaf measured in this run: `{tool.Path}` (version {tool.Version}), default build (its x86 SIMD on), --threads 1";

    public static LibvmafTool? Find()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("AQS_VMAF_TOOL") is { Length: > 0 } configured)
        {
            candidates.Add(configured);
        }
        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => System.IO.Path.Combine(dir, "vmaf")));
        foreach (var path in candidates.Where(File.Exists))
        {
            // vmaf prints its version (libvmaf's commit) on stderr.
            var (code, output, error) = Run(path, ["--version"]);
            if (code == 0)
            {
                return new LibvmafTool(path, (output + error).Trim());
            }
        }
        return null;
    }

    /// <summary>
    /// CPU and wall milliseconds per frame, start-up subtracted (see the class remarks), best of
    /// <paramref name="repeats"/> runs of each length. The y4m pair must hold <paramref name="frames"/> frames.
    /// </summary>
    public (double CpuMs, double WallMs) PerFrame(string refY4m, string disY4m, int frames, string modelPath, int repeats)
    {
        double Best(Func<(double Cpu, double Wall)> run, Func<(double Cpu, double Wall), double> pick) =>
            Enumerable.Range(0, repeats).Select(_ => pick(run())).Min();
        (double Cpu, double Wall) Once(int count) => Timed(["-r", refY4m, "-d", disY4m, "--model", $"path={modelPath}", "--threads", "1", "-q",
            "--frame_cnt", count.ToString(CultureInfo.InvariantCulture), "-o", "/dev/null", "--json"]);
        var allCpu = Best(() => Once(frames), t => t.Cpu);
        var oneCpu = Best(() => Once(1), t => t.Cpu);
        var allWall = Best(() => Once(frames), t => t.Wall);
        var oneWall = Best(() => Once(1), t => t.Wall);
        return ((allCpu - oneCpu) / (frames - 1) * 1000, (allWall - oneWall) / (frames - 1) * 1000);
    }

    private (double Cpu, double Wall) Timed(string[] args)
    {
        var before = ChildrenCpuSeconds();
        var sw = Stopwatch.StartNew();
        var (code, _, error) = Run(Path, args);
        var wall = sw.Elapsed.TotalSeconds;
        if (code != 0)
        {
            throw new InvalidOperationException($"{Path} {string.Join(' ', args)} failed ({code}): {error.Trim()}");
        }
        return (ChildrenCpuSeconds() - before, wall);
    }

    private static (int Code, string Output, string Error) Run(string path, string[] args)
    {
        var info = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        try
        {
            using var process = Process.Start(info)!;
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output, error.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, "", e.Message);
        }
    }

    /// <summary>User + system seconds of every child this process has waited for (getrusage RUSAGE_CHILDREN).</summary>
    private static double ChildrenCpuSeconds()
    {
        if (getrusage(RusageChildren, out var usage) != 0)
        {
            throw new InvalidOperationException($"getrusage failed: errno {Marshal.GetLastPInvokeError()}");
        }
        return usage.UserSeconds + usage.UserMicroseconds / 1e6 + usage.SystemSeconds + usage.SystemMicroseconds / 1e6;
    }

    private const int RusageChildren = -1;

    /// <summary>The leading timevals of Linux x86-64 <c>struct rusage</c>; the 14 longs after them are not read.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
        private unsafe fixed long _rest[14];
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getrusage(int who, out RUsage usage);
}
