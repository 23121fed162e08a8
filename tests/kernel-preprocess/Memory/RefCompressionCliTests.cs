using Aqs.Shared.Cli;

namespace Aqs.Kernel.Preprocess.Tests.Memory;

/// <summary>kernel-preprocess --ref-compression: a wrong name is a usage error before any ring is made.</summary>
[NonParallelizable]
public class RefCompressionCliTests
{
    [Test]
    public void Unknown_ref_compression_is_a_usage_error_naming_the_choices()
    {
        var error = new StringWriter();
        var saved = Console.Error;
        var opener = Aqs.Kernel.Preprocess.Sources.SourceFactory.ContainerOpener; // Main sets it; other tests expect it as they left it
        Console.SetError(error);
        int rc;
        try
        {
            rc = Program.Main(["--session", $"cli{Environment.ProcessId}", "--ref-compression", "gzip", "--attach-timeout", "0"]);
        }
        finally
        {
            Console.SetError(saved);
            Aqs.Kernel.Preprocess.Sources.SourceFactory.ContainerOpener = opener;
        }
        Assert.That(rc, Is.EqualTo(CommandLineHost.ExitUsage));
        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1));
        Assert.That(lines[0], Does.Contain("'gzip' is not none, lz4 or zstd"));
        Assert.That(File.Exists($"/dev/shm/aqs.cli{Environment.ProcessId}.ref"), Is.False);
    }
}
