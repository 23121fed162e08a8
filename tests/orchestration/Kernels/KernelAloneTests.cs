using System.Diagnostics;
using Aqs.Orchestration;

namespace Aqs.Orchestration.Tests.Kernels;

public class KernelAloneTests
{
    [TestCase(KernelKind.Encode, "raw")]
    [TestCase(KernelKind.Network, "enc")]
    [TestCase(KernelKind.Display, "rx")]
    [CancelAfter(60_000)]
    public void Kernel_started_without_its_input_ring_says_so_in_one_line_and_fails(KernelKind kind, string ring)
    {
        var session = "t" + Guid.NewGuid().ToString("N")[..8];

        var (exitCode, stderr) = Start(kind, "--session", session, "--attach-timeout", "500ms");

        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Not.Zero);
            Assert.That(lines, Has.Length.EqualTo(1), stderr);
            Assert.That(stderr, Does.Contain($"aqs.{session}.").And.Contain("does not exist"));
        });
        Assert.That(Directory.EnumerateFiles("/dev/shm", $"*{session}*"), Is.Empty, "a failed start leaves nothing behind");
    }

    [TestCase(KernelKind.Preprocess)]
    [TestCase(KernelKind.Encode)]
    [TestCase(KernelKind.Network)]
    [TestCase(KernelKind.Display)]
    public void Kernel_rejects_an_unknown_flag_with_one_line(KernelKind kind)
    {
        var (exitCode, stderr) = Start(kind, "--session", "x", "--no-such-flag");

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(stderr.Trim().Split('\n'), Has.Length.EqualTo(1), stderr);
            Assert.That(stderr, Does.Contain("--no-such-flag"));
        });
    }

    [TestCase(KernelKind.Preprocess)]
    [TestCase(KernelKind.Encode)]
    [TestCase(KernelKind.Network)]
    [TestCase(KernelKind.Display)]
    public void Kernel_help_names_the_session_option(KernelKind kind)
    {
        var info = StartInfo(kind, "--help");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        Assert.Multiple(() =>
        {
            Assert.That(process.ExitCode, Is.Zero);
            Assert.That(stdout, Does.Contain("--session"));
        });
    }

    internal static (int ExitCode, string Stderr) Start(KernelKind kind, params string[] args)
    {
        using var process = Process.Start(StartInfo(kind, args))!;
        var stderrTask = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill(true);
            Assert.Fail($"{kind.ExecutableName()} did not exit within 30 s");
        }
        return (process.ExitCode, stderrTask.Result);
    }

    private static ProcessStartInfo StartInfo(KernelKind kind, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(KernelBinaries.PathOf(kind));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        return info;
    }
}
