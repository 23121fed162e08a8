using System.Text.Json.Nodes;
using Aqs.Orchestration.Reports;
using Aqs.Orchestration.Run;
using Aqs.Orchestration.Tests.Infrastructure;
using SkiaSharp;

namespace Aqs.Orchestration.Tests.Reports;

/// <summary>One real run, then what its folder holds and what the report verbs make of it.</summary>
[NonParallelizable]
public class ReportTests
{
    private TempRuns _runs = null!;
    private RunResult _result = null!;
    private RunFolder _folder = null!;

    [OneTimeSetUp]
    public void RunOnce()
    {
        _runs = new TempRuns();
        var run = new PipelineRun(new RunOptions
        {
            Duration = TimeSpan.FromSeconds(6),
            Size = "320x180",
            Fps = 30,
            View = RunView.None,
            RunsDirectory = _runs.Path,
            Network = "loss:1%",
        }, TextWriter.Null);
        _result = run.Execute(CancellationToken.None);
        _folder = run.Folder!;
        TestContext.Out.WriteLine(_result.Render());
    }

    [OneTimeTearDown]
    public void Remove() => _runs.Dispose();

    [Test]
    public void A_run_writes_its_folder_with_summary_logs_and_report()
    {
        foreach (var file in new[] { RunFolder.SessionFile, RunFolder.TimelineFile, RunFolder.EncodedFramesFile, RunFolder.SummaryFile, RunFolder.ReportFile, "kernel-encode.log" })
        {
            Assert.That(File.Exists(_folder.File(file)), Is.True, file);
        }
        Assert.That(_result.Succeeded, Is.True, _result.Failure);
    }

    [Test]
    public void The_report_plots_are_real_pictures_with_lines_in_them()
    {
        var html = File.ReadAllText(_folder.File(RunFolder.ReportFile));
        var pngs = Directory.GetFiles(_folder.Path, "plot-*.png");
        Assert.That(pngs.Select(Path.GetFileName), Is.SupersetOf(new[] { "plot-bitrate.png", "plot-quality.png", "plot-cpu.png", "plot-rings.png" }));
        foreach (var png in pngs)
        {
            using var bitmap = SKBitmap.Decode(png);
            Assert.That(bitmap, Is.Not.Null, png);
            var colours = new HashSet<uint>();
            for (var y = 0; y < bitmap.Height; y += 3)
            {
                for (var x = 0; x < bitmap.Width; x += 3)
                {
                    colours.Add((uint)bitmap.GetPixel(x, y));
                }
            }
            Assert.Multiple(() =>
            {
                Assert.That(bitmap.Width, Is.EqualTo(1000), png);
                Assert.That(new FileInfo(png).Length, Is.GreaterThan(10_000), png + " is more than an empty frame");
                Assert.That(colours.Count, Is.GreaterThan(20), png + " has lines, text and axes");
                Assert.That(html, Does.Contain($"src=\"{Path.GetFileName(png)}\""));
            });
        }
    }

    [Test]
    public void The_summary_figures_equal_what_the_per_frame_and_per_second_logs_add_up_to()
    {
        var summary = JsonNode.Parse(File.ReadAllText(_folder.File(RunFolder.SummaryFile)))!;
        var logs = summary["from_logs"]!;
        var frames = File.ReadAllLines(_folder.File(RunFolder.EncodedFramesFile)).Select(l => JsonNode.Parse(l)!).ToList();
        var timeline = File.ReadAllLines(_folder.File(RunFolder.TimelineFile)).Select(l => JsonNode.Parse(l)!).ToList();
        var bitrates = timeline.Where(s => s["bitrate_bps"] is not null).Select(s => s["bitrate_bps"]!.GetValue<double>()).ToList();
        var kernelEncoded = summary["kernels"]!["kernel-encode"]!["frames_encoded"]!.GetValue<double>();

        Assert.Multiple(() =>
        {
            Assert.That(logs["encoded_frames"]!.GetValue<long>(), Is.EqualTo(frames.Count));
            Assert.That(logs["encoded_bytes"]!.GetValue<long>(), Is.EqualTo(frames.Sum(f => f["bytes"]!.GetValue<long>())));
            Assert.That(logs["samples"]!.GetValue<int>(), Is.EqualTo(timeline.Count));
            Assert.That(logs["mean_bitrate_bps"]!.GetValue<double>(), Is.EqualTo(Math.Round(bitrates.Average())).Within(1));
            Assert.That(logs["keyframes"]!.GetValue<long>(), Is.EqualTo(frames.Count(f => f["type"]!.GetValue<string>() == "I")));
            // The per-frame log is what Kernel C published frame by frame; its own total must agree.
            Assert.That(frames.Count, Is.EqualTo(kernelEncoded).Within(2), "every encoded frame is in the per-frame log");
            Assert.That(frames.Select(f => f["frame_id"]!.GetValue<long>()), Is.Unique);
        });
    }

    [Test]
    public void Aqs_report_rebuilds_the_report_from_the_logs_alone()
    {
        File.Delete(_folder.File(RunFolder.ReportFile));
        File.Delete(_folder.File("plot-bitrate.png"));

        var (exitCode, stdout, stderr) = AqsCli.Run(_runs.Path, TimeSpan.FromSeconds(60), "report", _folder.Path);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, stderr);
            Assert.That(stdout, Does.Contain(RunFolder.ReportFile));
            Assert.That(File.Exists(_folder.File(RunFolder.ReportFile)), Is.True);
            Assert.That(File.Exists(_folder.File("plot-bitrate.png")), Is.True);
        });
    }

    [Test]
    public void Aqs_compare_sets_two_runs_side_by_side()
    {
        var copy = Path.Combine(_runs.Path, "copy-of-run");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(_folder.Path, "*.json*"))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }
        var output = Path.Combine(_runs.Path, "cmp");

        var (exitCode, stdout, stderr) = AqsCli.Run(_runs.Path, TimeSpan.FromSeconds(60), "compare", _folder.Path, copy, "--out", output);

        var frames = KeyFigures.All.Single(f => f.Label == "frames displayed");
        var shown = frames.Format(frames.Read(_folder.ReadSummary()!));
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, stderr);
            Assert.That(stdout, Does.Contain($"| frames displayed | {shown} | {shown} | 1.00 |"));
            Assert.That(File.Exists(Path.Combine(output, "compare.html")), Is.True);
            Assert.That(File.Exists(Path.Combine(output, "compare-bitrate.png")), Is.True);
        });
    }

    [Test]
    public void Aqs_report_on_a_folder_that_is_not_a_run_says_so_in_one_line()
    {
        var (exitCode, _, stderr) = AqsCli.Run(_runs.Path, TimeSpan.FromSeconds(30), "report", _runs.Path);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(stderr.Trim().Split('\n'), Has.Length.EqualTo(1), stderr);
            Assert.That(stderr, Does.Contain("not a run folder"));
        });
    }
}
