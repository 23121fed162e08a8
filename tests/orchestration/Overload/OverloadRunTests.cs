using Aqs.Orchestration.Overload;
using Aqs.Orchestration.Tests.Infrastructure;

namespace Aqs.Orchestration.Tests.Overload;

/// <summary>More streams than the machine can encode in real time: the engines step down; age, rings and memory stay bounded.</summary>
[NonParallelizable]
public class OverloadRunTests
{
    [Test]
    [CancelAfter(180_000)]
    public void Two_720p60_streams_on_two_cores_step_down_and_keep_age_rings_and_memory_bounded()
    {
        using var runs = new TempRuns();

        var streams = new OverloadRun(new OverloadOptions { Streams = 2, Duration = TimeSpan.FromSeconds(30), RunsDirectory = runs.Path }, TestContext.Out)
            .Execute(CancellationToken.None);

        foreach (var s in streams)
        {
            TestContext.Out.WriteLine($"{s.Run.Session}: {s.StepsDown} of {s.Steps.Count} steps down; settled age p95 {OverloadRun.Quantile(s.Settled.Select(x => x.LatencyP95Ms ?? double.NaN), 0.95):F0} ms; " +
                $"summary age p95 {s.Run.Number(KernelKind.Display, "age_ms_p95"):F0} ms; ring fill max {s.Samples.SelectMany(x => x.RingFill?.Values.AsEnumerable() ?? []).DefaultIfEmpty().Max():F2}; " +
                $"rss {string.Join(", ", s.Samples.SelectMany(x => x.RssMb ?? []).GroupBy(k => k.Key).Select(g => $"{g.Key} {g.First().Value:F0}->{g.Max(v => v.Value):F0}"))}");
            foreach (var step in s.Steps)
            {
                TestContext.Out.WriteLine($"  {step.T:F1} s {step.From} -> {step.To}: {step.Reason}");
            }
        }
        Assert.That(streams, Has.Count.EqualTo(2));
        Assert.Multiple(() =>
        {
            foreach (var s in streams)
            {
                Assert.That(s.StepsDown, Is.GreaterThan(0), $"{s.Run.Session}: the engine stepped down (rung, frame rate or preset)");
                Assert.That(s.Run.Number(KernelKind.Display, "frames_displayed"), Is.GreaterThan(0), $"{s.Run.Session}: frames reached the display");
                // Once the engine has stepped down (the second half of the run; the first includes start-up at 720p60 veryfast,
                // which two streams cannot keep up with), the on-screen age p95 stays near the quality mode's 400 ms budget.
                // Measured 89-484 ms over six runs on the 2-core machine shared with other pipelines (load average 12-61), so the
                // bound is 1000 ms (2.5x the budget): generous enough for that machine, and still far below the 3-30 s of a
                // pipeline that falls behind. The bench reports each run against the 400 ms budget itself. Four streams on that
                // machine can starve whole kernels for seconds at start-up: that is the bench's run, not this test's.
                Assert.That(OverloadRun.Quantile(s.Settled.Select(x => x.LatencyP95Ms ?? double.NaN), 0.95), Is.LessThanOrEqualTo(1000), $"{s.Run.Session}: on-screen age p95 of the second half (ms)");
                Assert.That(s.Samples.SelectMany(x => x.RingFill?.Values.AsEnumerable() ?? []), Is.All.InRange(0.0, 1.0), $"{s.Run.Session}: rings never over-full");
                foreach (var kernel in s.Samples.SelectMany(x => x.RssMb ?? []).GroupBy(k => k.Key))
                {
                    // Measured peaks 116-607 MiB (Kernel D highest: decoder, references, renderer); most of a 30 s run is start-up,
                    // so growth over time is judged by the bench's longer run, and this checks the ceiling.
                    Assert.That(kernel.Max(v => v.Value), Is.LessThan(768), $"{s.Run.Session} {kernel.Key}: RSS peak (MiB)");
                }
            }
        });
    }

    [Test]
    public void Steps_down_are_fewer_pixels_a_second_or_a_faster_preset_and_torn_lines_are_passed_over()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(path,
            [
                """{"t":1,"rung":"1280x720@60 8-bit","preset":"veryfast","reason":"start"}""",
                """{"t":2,"rung":"1280x720@60 8-bit","preset":"superfast","reason":"preset down"}""",
                """{"t":3,"rung":"1280x720@30 8-bit","prese""",
                """{"t":4,"rung":"1280x720@30 8-bit","preset":"superfast","reason":"frame rate down"}""",
                """{"t":5,"rung":"1920x1080@30 8-bit","preset":"superfast","reason":"more bits"}""",
            ]);

            var steps = OverloadRun.Steps(path);

            Assert.That(steps.Select(s => s.T), Is.EqualTo(new[] { 2.0, 4.0, 5.0 }));
            Assert.That(steps.Select(OverloadRun.IsDown), Is.EqualTo(new[] { true, true, false }));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
