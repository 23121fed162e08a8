using System.Diagnostics;

namespace Aqs.Orchestration.Tests.Kernels;

/// <summary>
/// A /dev/shm with no room, or one that refuses new files, ends Kernel B with one line naming the ring, never a
/// SIGBUS or a stack trace. Each case runs the real kernel in a private mount namespace (unshare -m) whose /dev/shm
/// is a fresh tmpfs, so nothing outside the test sees it; where namespaces are not allowed (no root) it is skipped.
/// </summary>
[NonParallelizable]
public class RingCreationRefusedTests
{
    [TestCase("size=1m", "has no room for its", TestName = "Full_dev_shm_ends_the_producer_with_one_line_naming_the_ring")]
    [TestCase("ro,size=1m", "Read-only file system", TestName = "Read_only_dev_shm_ends_the_producer_with_one_line_naming_the_ring")]
    [CancelAfter(60_000)]
    public void Ring_creation_refused(string mountOptions, string reason)
    {
        var session = "t" + Guid.NewGuid().ToString("N")[..8];
        var script = $"mount -t tmpfs -o {mountOptions} tmpfs /dev/shm || exit 99; exec dotnet \"$0\" --session {session}";
        var info = new ProcessStartInfo("unshare") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-m", "sh", "-c", script, KernelBinaries.PathOf(KernelKind.Preprocess) })
        {
            info.ArgumentList.Add(a);
        }

        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Ignore("unshare is not installed");
            return;
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEnd();
            Assert.That(process.WaitForExit(TimeSpan.FromSeconds(45)), Is.True, "the kernel hung");
            if (process.ExitCode == 99 || (process.ExitCode == 1 && stderr.Result.StartsWith("unshare:", StringComparison.Ordinal)))
            {
                Assert.Ignore("a private /dev/shm needs mount namespaces (root): " + stderr.Result.Trim());
            }
            var lines = stderr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Multiple(() =>
            {
                Assert.That(process.ExitCode, Is.EqualTo(1));
                Assert.That(lines, Has.Length.EqualTo(1), stderr.Result);
                Assert.That(stderr.Result, Does.Contain($"/dev/shm/aqs.{session}.raw").And.Contain(reason));
                Assert.That(stderr.Result, Does.Not.Contain("   at "));
            });
        }
    }
}
