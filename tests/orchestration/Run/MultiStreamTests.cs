using System.Text.Json.Nodes;
using Aqs.Orchestration.Tests.Infrastructure;

namespace Aqs.Orchestration.Tests.Run;

[NonParallelizable]
public class MultiStreamTests
{
    [Test]
    [CancelAfter(180_000)]
    public void Three_streams_give_three_independent_sessions_each_reported_with_its_cpu_and_a_total()
    {
        using var runs = new TempRuns();
        var json = Path.Combine(runs.Path, "streams.json");

        var (exitCode, stdout, stderr) = AqsCli.Run(runs.Path, TimeSpan.FromSeconds(170),
            "run", "--streams", "3", "--size", "320x180", "--fps", "15", "--duration", "4s", "--runs", runs.Path,
            "--view", "none", "--json", json, "--no-report", "--vmaf", "off");

        var streams = JsonNode.Parse(File.ReadAllText(json))!["streams"]!.AsArray();
        var sessions = streams.Select(s => s!["session"]!.GetValue<string>()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, stdout + stderr);
            Assert.That(sessions.Distinct().Count(), Is.EqualTo(3));
            foreach (var stream in streams)
            {
                Assert.That(stream!["kernels"]!["kernel-display"]!["frames_displayed"]!.GetValue<double>(), Is.GreaterThan(0), stream["session"]!.ToString());
                Assert.That(stream["cpu_s"]!.AsObject().Select(c => c.Value!.GetValue<double>()).Sum(), Is.GreaterThan(0), "CPU per stream");
                Assert.That(Directory.Exists(Path.Combine(runs.Path, stream["session"]!.GetValue<string>())), Is.True, "each stream has its own run folder");
            }
            Assert.That(stdout, Does.Contain("| total (3) |"));
            foreach (var session in sessions)
            {
                Assert.That(stdout, Does.Contain($"| {session} |"));
            }
        });
    }
}
