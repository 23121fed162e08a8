using Aqs.Orchestration.Soak;
using Aqs.Orchestration.Tests.Infrastructure;

namespace Aqs.Orchestration.Tests.Soak;

/// <summary>The soak's CI form: three minutes of the real pipeline under rotating impairments with kernels killed and frozen.</summary>
[NonParallelizable]
public class SoakTests
{
    [Test]
    [CancelAfter(330_000)]
    public void Three_minutes_of_faults_and_impairments_end_with_every_restart_recovered_and_nothing_growing()
    {
        using var runs = new TempRuns();
        var options = new SoakOptions
        {
            Duration = TimeSpan.FromMinutes(3),
            FaultEvery = TimeSpan.FromSeconds(25),
            Seed = 7,
            RunsDirectory = runs.Path,
            Impairments = Impairments.Rotation(),
        };

        var verdict = new SoakRun(options, TestContext.Out).Execute(CancellationToken.None);

        TestContext.Out.WriteLine(verdict.Render());
        File.WriteAllText(Web.LivePageTests.Artifact("soak-3m.txt"), verdict.Render());
        Assert.Multiple(() =>
        {
            Assert.That(verdict.Faults, Has.Count.GreaterThanOrEqualTo(4), "faults were injected");
            Assert.That(verdict.Run.Restarts, Has.Count.EqualTo(verdict.Faults.Count), "every fault led to exactly one restart");
            Assert.That(verdict.Problems, Is.Empty);
            Assert.That(verdict.Run.Number(KernelKind.Display, "frames_displayed"), Is.GreaterThan(0));
        });
    }

    [Test]
    public void A_soak_shorter_than_30_s_is_refused_in_one_line()
    {
        using var runs = new TempRuns();

        var (exitCode, _, stderr) = AqsCli.Run(runs.Path, TimeSpan.FromSeconds(30), "soak", "--duration", "5s");

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(stderr.Trim().Split('\n'), Has.Length.EqualTo(1), stderr);
        });
    }
}
