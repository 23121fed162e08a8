using Aqs.Orchestration;
using Aqs.Orchestration.Run;
using Aqs.Orchestration.Tests.Infrastructure;

namespace Aqs.Orchestration.Tests.Run;

[NonParallelizable]
public class PipelineRunTests
{
    [Test]
    [CancelAfter(90_000)]
    public void Synthetic_frames_flow_through_all_four_kernels_and_match_their_references()
    {
        using var runs = new TempRuns();
        var options = new RunOptions
        {
            RunsDirectory = runs.Path,
            Duration = TimeSpan.FromSeconds(4),
            Size = "320x180",
            Fps = 30,
            EncodeArguments = ["--bitrate", "1000000"],
            Quiet = true,
        };
        var run = new PipelineRun(options, TextWriter.Null);

        var result = run.Execute(CancellationToken.None);

        TestContext.Out.WriteLine(result.Render());
        Assert.Multiple(() =>
        {
            Assert.That(result.Succeeded, Is.True, "every kernel exits 0 with a summary");
            Assert.That(result.Number(KernelKind.Preprocess, "frames_published"), Is.GreaterThan(30));
            Assert.That(result.Number(KernelKind.Encode, "frames_encoded"), Is.GreaterThan(30));
            Assert.That(result.Number(KernelKind.Network, "frames_sent"), Is.GreaterThan(30));
            Assert.That(result.Number(KernelKind.Network, "frames_received"), Is.GreaterThan(30));
            Assert.That(result.Number(KernelKind.Display, "frames_displayed"), Is.GreaterThan(30));
            Assert.That(result.Number(KernelKind.Display, "frames_unmatched"), Is.Zero, "every displayed frame has its reference");
            Assert.That(result.Number(KernelKind.Display, "psnr_mean"), Is.GreaterThan(30.0));
            Assert.That(result.Number(KernelKind.Display, "ssim_mean"), Is.GreaterThan(0.9));
            Assert.That(result.Number(KernelKind.Display, "latency_ms_p50"), Is.GreaterThan(0.0));
            Assert.That(result.LeftoverFiles, Is.Empty, "clean shutdown removes every ring file");
            Assert.That(result.Number(KernelKind.Display, "color_mismatches"), Is.Zero, "the decoded colour is the colour the source declared");
            Assert.That(result.Text(KernelKind.Display, "decoded_color"), Is.EqualTo("range 1, primaries 1, transfer 1, matrix 1"), "synthetic source: limited-range BT.709 end to end");
            // VMAF needs the model file, which a fresh clone does not have: then the summary must say why it is missing.
            if (result.Text(KernelKind.Display, "vmaf_unavailable") is null)
            {
                Assert.That(result.Number(KernelKind.Display, "frames_vmaf_scored"), Is.GreaterThan(0), "the display's VMAF worker scored frames");
                Assert.That(result.Number(KernelKind.Display, "vmaf_mean"), Is.InRange(0.0, 100.0));
                Assert.That(result.Number(KernelKind.Display, "pqm_with_vmaf"), Is.GreaterThan(0), "PQM used the VMAF term");
            }
            else
            {
                Assert.That(result.Text(KernelKind.Display, "vmaf_unavailable"), Does.Contain("VMAF"));
            }
        });
        Assert.That(RingFiles.Leftovers(run.Session), Is.Empty);
    }

    [Test]
    [CancelAfter(90_000)]
    public void Color_range_full_is_converted_and_tagged_by_the_encoder_and_measured_as_the_viewer_sees_it()
    {
        using var runs = new TempRuns();
        var run = new PipelineRun(new RunOptions
        {
            RunsDirectory = runs.Path,
            Duration = TimeSpan.FromSeconds(3),
            Size = "320x180",
            Fps = 30,
            EncodeArguments = ["--bitrate", "1000000", "--color-range", "full"],
            Quiet = true,
        }, TextWriter.Null);

        var result = run.Execute(CancellationToken.None);

        TestContext.Out.WriteLine(result.Render());
        Assert.Multiple(() =>
        {
            Assert.That(result.Succeeded, Is.True);
            Assert.That(result.Text(KernelKind.Display, "decoded_color"), Is.EqualTo("range 2, primaries 1, transfer 1, matrix 1"), "the stream says full range");
            Assert.That(result.Number(KernelKind.Display, "color_mismatches"), Is.Zero, "primaries, transfer and matrix still the source's");
            // Unconverted, full-range samples read against the limited-range source would cost PSNR everywhere.
            Assert.That(result.Number(KernelKind.Display, "psnr_mean"), Is.GreaterThan(35.0), "measured after converting back to the source's range");
        });
    }
}
