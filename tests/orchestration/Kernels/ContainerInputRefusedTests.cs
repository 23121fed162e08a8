using System.Diagnostics;

namespace Aqs.Orchestration.Tests.Kernels;

/// <summary>Kernel B given a broken container file: one line naming it and exit 2, with nothing of libav's own log around it.</summary>
public class ContainerInputRefusedTests
{
    [TestCase("mkv", "damaged")]
    [TestCase("mkv", "cut")]
    [TestCase("mp4", "damaged")]
    [TestCase("ts", "noise")]
    [CancelAfter(90_000)]
    public void A_broken_container_file_ends_kernel_preprocess_with_one_line_and_exit_2(string container, string damage)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"aqs-container-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var good = Path.Combine(folder, "good." + container);
            var info = new ProcessStartInfo("ffmpeg", $"-hide_banner -loglevel error -y -f lavfi -i testsrc2=size=96x64:rate=15 -frames:v 8 -c:v libx264 -pix_fmt yuv420p {good}")
            {
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using (var ffmpeg = Process.Start(info)!)
            {
                var error = ffmpeg.StandardError.ReadToEnd();
                ffmpeg.WaitForExit();
                Assert.That(ffmpeg.ExitCode, Is.Zero, error);
            }
            var bytes = File.ReadAllBytes(good);
            var broken = Path.Combine(folder, "broken." + container);
            File.WriteAllBytes(broken, damage switch
            {
                // Headers overwritten (the element sizes and atoms libavformat trusts first), or the file cut inside them.
                "damaged" => bytes.Select((b, i) => i is >= 24 and < 400 ? (byte)0xff : b).ToArray(),
                "cut" => bytes[..150],
                _ => new Random(16).GetItems(bytes, bytes.Length),
            });

            var (exitCode, stderr) = KernelAloneTests.Start(KernelKind.Preprocess, "--session", "c" + Guid.NewGuid().ToString("N")[..8], "--input", broken, "--attach-timeout", "1s");

            Assert.Multiple(() =>
            {
                Assert.That(exitCode, Is.EqualTo(2), stderr);
                Assert.That(stderr.Trim().Split('\n'), Has.Length.EqualTo(1), stderr);
                Assert.That(stderr, Does.StartWith("kernel-preprocess: ").And.Contain(broken));
            });
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
