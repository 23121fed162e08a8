using System.Diagnostics;

namespace Aqs.Orchestration.Tests.Bench;

/// <summary>
/// <c>aqs bench adapt --quick</c> in CI: the whole pipeline twice (basic, then AQS) over a generated 20 → 3 Mbit/s step,
/// its report written to a folder of the test's own. The full 60 s form over the recorded traces is the benchmark.
/// </summary>
[NonParallelizable]
public class AdaptQuickBenchTests
{
    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Aqs.Quad.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Aqs.Quad.sln not found above " + AppContext.BaseDirectory);
    }

    [Test]
    [CancelAfter(240_000)]
    public void Quick_adapt_bench_measures_both_pipelines_and_aqs_keeps_under_a_falling_link()
    {
        var bench = Path.Combine(Root(), "artifacts", "bin", "Aqs.Bench", "release", "Aqs.Bench.dll");
        Assert.That(File.Exists(bench), Is.True, $"{bench} is built with the solution");
        var kept = Path.Combine(Root(), "tests", "bench", "results", "adapt.md");
        var keptWritten = File.Exists(kept) ? File.GetLastWriteTimeUtc(kept) : default;
        var work = Directory.CreateTempSubdirectory("aqs-adapt-quick-");
        try
        {
            var info = new ProcessStartInfo("dotnet") { WorkingDirectory = work.FullName, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { bench, "adapt", "--quick", "--results", work.FullName })
            {
                info.ArgumentList.Add(a);
            }
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            Assert.That(process.WaitForExit(TimeSpan.FromSeconds(220)), Is.True, "the quick form ends within minutes");
            TestContext.Out.WriteLine(stdout.Result);
            Assert.That(process.ExitCode, Is.Zero, stderr.Result);
            var report = File.ReadAllLines(Path.Combine(work.FullName, "adapt.md"));
            double Figure(string row, int column) => double.Parse(
                report.Single(l => l.StartsWith($"| {row} |", StringComparison.Ordinal)).Split('|', StringSplitOptions.TrimEntries)[column],
                System.Globalization.CultureInfo.InvariantCulture);
            Assert.Multiple(() =>
            {
                foreach (var row in new[] { "on-screen age p50, ms", "on-screen age p95, ms", "freezes", "media bitrate, Mbit/s" })
                {
                    Assert.That(Figure(row, 2), Is.GreaterThanOrEqualTo(0), $"basic {row} measured");
                    Assert.That(Figure(row, 3), Is.GreaterThanOrEqualTo(0), $"AQS {row} measured");
                }
                // Who wins on latency in 12 s depends on how loaded the machine is (start-up and encoder speed fill
                // short runs; the 60 s benchmark judges that). What does not: the engine never sends above the link.
                Assert.That(Figure("time sending above capacity, share", 3), Is.LessThanOrEqualTo(0.1), "AQS stays under the emulated capacity");
                Assert.That(report, Has.Some.StartsWith("| step 20→3 Mbit/s"), "the goals table judges the case");
                Assert.That(File.Exists(kept) ? File.GetLastWriteTimeUtc(kept) : default, Is.EqualTo(keptWritten), "--results leaves the committed figures alone");
            });
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
