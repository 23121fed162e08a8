using Aqs.Orchestration.Live;
using Aqs.Orchestration.Supervision;
using Aqs.Shared.Contracts;
using Spectre.Console.Testing;

namespace Aqs.Orchestration.Tests.Live;

public class DashboardTests
{
    private static readonly TelemetrySample Sample = new()
    {
        T = 12,
        EncodedFps = 59.5,
        BitrateBps = 2_340_000,
        TargetBps = 2_500_000,
        EncodeMs = 7.24,
        Width = 960,
        Height = 540,
        Fps = 60,
        BitDepth = 10,
        Mode = "sports",
        Preset = "veryfast",
        EstimateBps = 3_120_000,
        CapacityBps = 4_000_000,
        LossPct = 1.25,
        FecPct = 12,
        Vmaf = 91.3,
        Ssim = 0.9871,
        LatencyP95Ms = 143,
        DisplayedFps = 58.9,
        Freezes = 2,
        FreezeMs = 410,
        FramesDisplayed = 700,
        CpuPct = new() { ["kernel-encode"] = 87, ["kernel-display"] = 41 },
        RssMb = new() { ["kernel-encode"] = 212 },
        RingFill = new() { ["raw"] = 0.25, ["enc"] = 0.5 },
        RingFps = new() { ["raw"] = 60, ["enc"] = 59.5, ["rx"] = 59 },
    };

    [Test]
    public void The_dashboard_shows_every_kernel_and_stream_figure_it_was_given()
    {
        var console = new TestConsole().Width(200);
        var decision = new EncoderDecision { Width = 960, Height = 540, Fps = 60, BitrateBps = 2_500_000, Reason = "estimate fell to 3.1 Mbit/s" };
        var restart = new KernelRestart { Kind = KernelKind.Network, FailedAtS = 5, Cause = "exit 137 (killed by signal 9)", RecoveredAtS = 6.5, FramesLost = 12 };

        console.Write(Dashboard.Render("session s1", Sample, [decision], [restart]));

        var screen = console.Output;
        TestContext.Out.WriteLine(screen);
        foreach (var expected in new[]
        {
            "kernel-preprocess", "kernel-encode", "kernel-network", "kernel-display",
            "960x540", "sports / veryfast", "10", "2.34 (target 2.50)", "3.12 / 4.00", "1.25 %", "12 %", "91.3 / 0.9871",
            "143 ms", "2 (410 ms)", "7.2 ms/frame", "87", "212", "25 %", "50 %", "59.5", "58.9",
            "estimate fell to 3.1 Mbit/s", "kernel-network at 5.0 s", "about 12 frames not shown",
        })
        {
            Assert.That(screen, Does.Contain(expected));
        }
    }

    [Test]
    public void Figures_nobody_measured_show_as_na_not_zero()
    {
        var console = new TestConsole().Width(200);

        console.Write(Dashboard.Render("session s1", new TelemetrySample { T = 1 }, [], []));

        Assert.Multiple(() =>
        {
            Assert.That(console.Output, Does.Contain("n/a"));
            Assert.That(console.Output, Does.Contain("none yet"));
            Assert.That(console.Output, Does.Not.Contain("0.00 (target"));
        });
    }

    [Test]
    public void The_plain_line_carries_the_same_figures_for_pipes_and_logs()
    {
        var line = PlainView.Line(Sample);

        Assert.That(line, Does.Contain("enc 60 fps 2.34/2.50 Mbit/s 960x540@60 10-bit").And.Contain("cap 4.00 Mbit/s").And.Contain("VMAF 91.3").And.Contain("freezes 2"));
    }
}
