using System.Diagnostics;
using System.Text.Json.Nodes;
using Aqs.Orchestration.Tests.Infrastructure;

namespace Aqs.Orchestration.Tests.Run;

[NonParallelizable]
public class InterruptTests
{
    [Test]
    [CancelAfter(120_000)]
    public void Ctrl_c_stops_every_kernel_cleanly_and_still_writes_the_report()
    {
        using var runs = new TempRuns();
        var session = "int" + Guid.NewGuid().ToString("N")[..6];
        using var launcher = Process.Start(AqsCli.StartInfo(runs.Path, "run", "--session", session, "--size", "320x180", "--fps", "30",
            "--duration", "60s", "--runs", runs.Path, "--view", "plain", "--vmaf", "off"))!;
        var stdout = launcher.StandardOutput.ReadToEndAsync();
        var stderr = launcher.StandardError.ReadToEndAsync();
        var timeline = Path.Combine(runs.Path, session, "timeline.jsonl");
        var clock = Stopwatch.StartNew();
        // Until a picture was shown: the display reports frames_displayed (0 at first) as soon as its loop runs.
        while (!(File.Exists(timeline) && System.Text.RegularExpressions.Regex.IsMatch(File.ReadAllText(timeline), "\"frames_displayed\":[1-9]")))
        {
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(60)), "frames never reached the display");
            Thread.Sleep(200);
        }

        Assert.That(Aqs.Orchestration.Run.Native.kill(launcher.Id, 2), Is.Zero); // SIGINT, as Ctrl-C sends it
        var exited = launcher.WaitForExit(TimeSpan.FromSeconds(40));

        Assert.That(exited, Is.True, "the launcher stops within 40 s of Ctrl-C");
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(runs.Path, session, "summary.json")))!;
        Assert.Multiple(() =>
        {
            Assert.That(launcher.ExitCode, Is.Zero, stdout.Result + stderr.Result);
            Assert.That(summary["end_reason"]!.GetValue<string>(), Is.EqualTo("stopped (interrupted)"));
            Assert.That(summary["exit_codes"]!.AsObject().Select(e => e.Value?.GetValue<int>()), Is.All.EqualTo(0), "every kernel drained and exited 0");
            Assert.That(File.Exists(Path.Combine(runs.Path, session, "report.html")), Is.True);
            Assert.That(Aqs.Orchestration.Run.RingFiles.Leftovers(session), Is.Empty);
        });
    }
}
