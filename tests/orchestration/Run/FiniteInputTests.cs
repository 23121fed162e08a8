using System.Text.Json.Nodes;
using Aqs.Orchestration.Tests.Infrastructure;

namespace Aqs.Orchestration.Tests.Run;

[NonParallelizable]
public class FiniteInputTests
{
    [Test]
    [CancelAfter(120_000)]
    public void A_y4m_shorter_than_the_duration_ends_normally_with_exit_code_0()
    {
        using var runs = new TempRuns();
        // 8 s of video, 60 s asked for. Not shorter: Kernel B plays from its first frame while Kernel C is still opening
        // its encoder, and on a busy 2-core machine the first seconds can all be skipped.
        var clip = Y4mFile.Write(runs.Path, 320, 180, 30, 240);
        var json = Path.Combine(runs.Path, "summary.json");

        var (exitCode, stdout, stderr) = AqsCli.Run(runs.Path, TimeSpan.FromSeconds(100),
            "run", "--input", clip, "--duration", "60s", "--runs", runs.Path, "--view", "none", "--json", json, "--no-report");

        TestContext.Out.WriteLine(stdout + stderr);
        Assert.That(File.Exists(json), Is.True, "aqs run wrote its summary");
        var summary = JsonNode.Parse(File.ReadAllText(json))!;
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, stdout + stderr);
            Assert.That(summary["end_reason"]!.GetValue<string>(), Is.EqualTo("input ended"));
            Assert.That(summary["succeeded"]!.GetValue<bool>(), Is.True);
            // Every frame of the clip was read: published, or dropped by Kernel B when the display held its ref ring full.
            Assert.That(summary["kernels"]!["kernel-preprocess"]!["frames_published"]!.GetValue<double>()
                + summary["kernels"]!["kernel-preprocess"]!["frames_dropped"]!.GetValue<double>(), Is.EqualTo(240));
            Assert.That(summary["kernels"]!["kernel-display"]!["frames_displayed"]!.GetValue<double>(), Is.GreaterThan(0));
            Assert.That(stdout, Does.Contain("end       input ended"));
        });
    }

    [Test]
    public void A_missing_input_is_one_line_and_exit_code_2()
    {
        using var runs = new TempRuns();

        var (exitCode, _, stderr) = AqsCli.Run(runs.Path, TimeSpan.FromSeconds(30), "run", "--input", "/nonexistent/clip.y4m");

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(stderr.Trim().Split('\n'), Has.Length.EqualTo(1), stderr);
            Assert.That(stderr, Does.Contain("/nonexistent/clip.y4m"));
        });
    }
}
