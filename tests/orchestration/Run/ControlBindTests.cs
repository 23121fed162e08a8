using System.Diagnostics;
using Aqs.Orchestration.Tests.Infrastructure;

namespace Aqs.Orchestration.Tests.Run;

/// <summary><c>aqs run --control-bind</c>: off loopback the session gets CURVE keys (0600, never logged) that aqs set uses.</summary>
[NonParallelizable]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class ControlBindTests
{
    [Test]
    public void Control_bind_that_is_not_an_address_is_refused_in_one_line()
    {
        using var runs = new TempRuns();

        var (exitCode, _, stderr) = AqsCli.Run(runs.Path, TimeSpan.FromSeconds(30), "run", "--control-bind", "not-an-address", "--runs", runs.Path);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(stderr.Trim().Split('\n'), Has.Length.EqualTo(1), stderr);
            Assert.That(stderr, Does.Contain("not-an-address"));
        });
    }

    [Test]
    [CancelAfter(120_000)]
    public void Run_bound_off_loopback_makes_owner_only_keys_that_aqs_set_uses_and_no_log_shows()
    {
        using var runs = new TempRuns();
        var session = "cb" + Guid.NewGuid().ToString("N")[..8];
        using var run = Process.Start(AqsCli.StartInfo(runs.Path, "run", "--duration", "12s", "--quiet", "--no-report",
            "--runs", runs.Path, "--session", session, "--control-bind", "0.0.0.0"))!;
        var runOut = run.StandardOutput.ReadToEndAsync();
        var runErr = run.StandardError.ReadToEndAsync();
        var folder = Path.Combine(runs.Path, session);
        var keys = Path.Combine(folder, "control.keys");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!File.Exists(Path.Combine(folder, "decisions.jsonl")) && DateTime.UtcNow < deadline && !run.HasExited)
        {
            Thread.Sleep(200);
        }

        var (setExit, setOut, setErr) = AqsCli.Run(runs.Path, TimeSpan.FromSeconds(30), "set", "--session", session, "--runs", runs.Path, "--vmaf-target", "90");
        Assert.That(run.WaitForExit(TimeSpan.FromSeconds(60)), Is.True, "the run did not end");

        var secrets = File.ReadAllLines(keys).Select(l => l.Split(' ')[1]).ToList();
        var leaks = Directory.EnumerateFiles(folder).Where(f => f != keys)
            .Where(f => secrets.Any(s => File.ReadAllText(f).Contains(s, StringComparison.Ordinal))).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.Zero, runOut.Result + runErr.Result);
            Assert.That(setExit, Is.Zero, setOut + setErr);
            Assert.That(File.GetUnixFileMode(keys), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(secrets, Has.Count.EqualTo(2));
            Assert.That(leaks, Is.Empty, "files that show a secret key");
            Assert.That(runOut.Result + runErr.Result + setOut + setErr, Does.Not.Contain(secrets[0]).And.Not.Contain(secrets[1]));
        });
    }
}
