using System.Diagnostics;

namespace Aqs.Kernel.Display.Tests.Infrastructure;

/// <summary>A private Xvfb display for window tests, and a screenshot of it through ffmpeg's x11grab.</summary>
public sealed class Xvfb : IDisposable
{
    private readonly Process _process;

    private Xvfb(Process process, string display)
    {
        _process = process;
        Display = display;
    }

    public string Display { get; }

    /// <summary>Starts Xvfb on a free display number; ignores the test (one line) when Xvfb is not installed.</summary>
    public static Xvfb Start(int width, int height)
    {
        if (!File.Exists("/usr/bin/Xvfb"))
        {
            Assert.Ignore("Xvfb is not installed (orchestration/aqs installs the xvfb package)");
        }
        for (var n = 40 + Environment.ProcessId % 40; n < 200; n++)
        {
            if (File.Exists($"/tmp/.X11-unix/X{n}") || File.Exists($"/tmp/.X{n}-lock"))
            {
                continue;
            }
            var info = new ProcessStartInfo("/usr/bin/Xvfb") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in new[] { $":{n}", "-screen", "0", $"{width}x{height}x24", "-nolisten", "tcp" })
            {
                info.ArgumentList.Add(a);
            }
            var process = Process.Start(info)!;
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromSeconds(10) && !process.HasExited)
            {
                if (File.Exists($"/tmp/.X11-unix/X{n}"))
                {
                    return new Xvfb(process, $":{n}");
                }
                Thread.Sleep(50);
            }
            if (!process.HasExited)
            {
                process.Kill();
            }
            process.Dispose();
        }
        Assert.Fail("could not start Xvfb on any display");
        return null!;
    }

    /// <summary>The top-left <paramref name="width"/> × <paramref name="height"/> of the screen as RGBA rows.</summary>
    public byte[] Screenshot(int width, int height)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-loglevel", "error", "-f", "x11grab", "-video_size", $"{width}x{height}", "-i", $"{Display}+0,0", "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgba", "pipe:1" })
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info)!;
        using var memory = new MemoryStream();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.BaseStream.CopyTo(memory);
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, stderr.Result);
        return memory.ToArray();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
    }
}
