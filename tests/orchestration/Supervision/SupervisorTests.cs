using System.Diagnostics;
using Aqs.Orchestration.Run;
using Aqs.Orchestration.Supervision;
using Aqs.Orchestration.Tests.Infrastructure;

namespace Aqs.Orchestration.Tests.Supervision;

[NonParallelizable]
public class SupervisorTests
{
    private static RunOptions Small(TempRuns runs, TimeSpan duration) => new()
    {
        Duration = duration,
        Size = "320x180",
        Fps = 30,
        View = RunView.None,
        RunsDirectory = runs.Path,
        Report = false,
        DisplayArguments = ["--vmaf", "off"],
        Supervision = new SupervisionPolicy { HangAfter = TimeSpan.FromSeconds(3) },
    };

    [TestCase(KernelKind.Encode)]
    [TestCase(KernelKind.Display)]
    [CancelAfter(150_000)]
    public void A_kernel_killed_mid_run_is_restarted_and_the_run_completes(KernelKind victim)
    {
        using var runs = new TempRuns();
        var run = new PipelineRun(Small(runs, TimeSpan.FromSeconds(22)), TextWriter.Null);
        int? killed = null;
        int? replacement = null;
        run.Telemetry.Sampled += s =>
        {
            var current = run.Supervisor!.Current[victim];
            if (killed is null && run.Telemetry.FramesDisplayed > 30)
            {
                killed = current.Pid;
                current.Signal(Native.SIGKILL);
            }
            else if (killed is not null && !current.HasExited && current.Pid != killed)
            {
                replacement = current.Pid;
            }
        };

        var result = run.Execute(CancellationToken.None);

        TestContext.Out.WriteLine(result.Render());
        Assert.That(killed, Is.Not.Null, "frames flowed, so the kernel was killed");
        Assert.Multiple(() =>
        {
            Assert.That(result.Restarts, Has.Count.EqualTo(1));
            Assert.That(result.Restarts[0].Kind, Is.EqualTo(victim));
            Assert.That(result.Restarts[0].Cause, Does.Contain("signal 9"));
            Assert.That(result.Restarts[0].Recovered, Is.True, "frames reached the display again");
            Assert.That(replacement, Is.Not.Null.And.Not.EqualTo(killed), "a new process took the kernel's place");
            Assert.That(result.Succeeded, Is.True, result.Failure);
            Assert.That(result.LeftoverFiles, Is.Empty);
        });
    }

    [Test]
    [CancelAfter(150_000)]
    public void A_kernel_that_stops_sending_heartbeats_is_killed_as_hung_and_restarted()
    {
        using var runs = new TempRuns();
        var run = new PipelineRun(Small(runs, TimeSpan.FromSeconds(20)), TextWriter.Null);
        KernelProcess? frozen = null;
        run.Telemetry.Sampled += s =>
        {
            if (frozen is null && run.Telemetry.FramesDisplayed > 60)
            {
                // Kernel B: a frozen source stalls everything after it, and only its heartbeats tell it apart from a quiet one.
                frozen = run.Supervisor!.Current[KernelKind.Preprocess];
                frozen.Signal(Native.SIGSTOP);
            }
        };

        var result = run.Execute(CancellationToken.None);

        TestContext.Out.WriteLine(result.Render());
        Assert.That(frozen, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(result.Restarts.Select(r => r.Kind), Is.EqualTo(new[] { KernelKind.Preprocess }));
            Assert.That(result.Restarts[0].Cause, Does.StartWith("hung: no heartbeat"));
            Assert.That(result.Restarts[0].Recovered, Is.True);
            Assert.That(result.Succeeded, Is.True, result.Failure);
        });
    }

    [Test]
    [CancelAfter(120_000)]
    public void A_kernel_that_keeps_failing_ends_the_run_with_one_line_naming_it()
    {
        using var runs = new TempRuns();
        // kernel-encode refuses this codec at every start: the restarts run out.
        var options = Small(runs, TimeSpan.FromSeconds(30)) with
        {
            Codec = "no-such-codec",
            Supervision = new SupervisionPolicy { MaxRestartsPerMinute = 2, Backoff = TimeSpan.FromMilliseconds(50) },
        };
        var run = new PipelineRun(options, TextWriter.Null);

        var result = run.Execute(CancellationToken.None);

        TestContext.Out.WriteLine(result.Render());
        Assert.Multiple(() =>
        {
            Assert.That(result.Succeeded, Is.False);
            Assert.That(result.Failure, Does.StartWith("kernel-encode exit ").And.Contain("3 times within a minute").And.Contain("kernel-encode.log"));
            Assert.That(result.Failure!.Split('\n'), Has.Length.EqualTo(1));
            Assert.That(result.Restarts.Count(r => r.Kind == KernelKind.Encode), Is.EqualTo(2));
            Assert.That(result.LeftoverFiles, Is.Empty);
        });
    }

    [Test]
    [CancelAfter(90_000)]
    public void Killing_the_launcher_leaves_no_kernel_and_no_shared_memory_file_within_5_s()
    {
        using var runs = new TempRuns();
        var session = "orphan" + Guid.NewGuid().ToString("N")[..6];
        using var launcher = Process.Start(AqsCli.StartInfo(runs.Path, "run", "--session", session, "--size", "320x180", "--fps", "30",
            "--duration", "60s", "--runs", runs.Path, "--view", "none", "--vmaf", "off"))!;
        launcher.StandardOutput.ReadToEndAsync();
        launcher.StandardError.ReadToEndAsync();
        var timeline = Path.Combine(runs.Path, session, "timeline.jsonl");
        var flowing = Stopwatch.StartNew();
        while (!(File.Exists(timeline) && File.ReadAllText(timeline).Contains("frames_displayed", StringComparison.Ordinal)))
        {
            Assert.That(flowing.Elapsed, Is.LessThan(TimeSpan.FromSeconds(60)), "frames never reached the display");
            Thread.Sleep(200);
        }
        var kernels = KernelsOf(session);
        Assert.That(kernels, Has.Count.EqualTo(4), "four kernels run");

        launcher.Kill(entireProcessTree: false); // SIGKILL to the launcher alone
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(5) && (KernelsOf(session).Count > 0 || RingFiles.Leftovers(session).Count > 0))
        {
            Thread.Sleep(100);
        }

        TestContext.Out.WriteLine($"gone after {clock.ElapsedMilliseconds} ms");
        Assert.Multiple(() =>
        {
            Assert.That(KernelsOf(session), Is.Empty, "no kernel outlives the launcher by 5 s");
            Assert.That(RingFiles.Leftovers(session), Is.Empty, "no /dev/shm file either");
        });
    }

    private static List<int> KernelsOf(string session) =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0)
            .Where(pid =>
            {
                try
                {
                    var cmdline = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
                    return cmdline.Contains("kernel-", StringComparison.Ordinal) && cmdline.Contains($"--session {session} ", StringComparison.Ordinal);
                }
                catch (IOException)
                {
                    return false;
                }
            })
            .ToList();
}
