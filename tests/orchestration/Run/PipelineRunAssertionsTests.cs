using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Aqs.Orchestration.Tests.Run;

/// <summary>
/// <c>aqs run</c> as the README shows it, started the way a user starts it (the launcher, <c>--json</c>), and what
/// a healthy run must give: on clean loopback every frame sent is received and displayed, nothing is lost or
/// unmatched, quality is at the README's level, and the latency stays under a bound that a regression adding
/// queueing (encoder look-ahead, a ring that backs up) breaks. With <c>--net</c> the impairment acts on the real
/// send path and FEC/NACK repair it. A clean end and the accounting of every frame are checked on any machine;
/// throughput, loss and latency only where other work leaves the cores free (otherwise skipped with the load figure).
/// </summary>
[NonParallelizable]
public class PipelineRunAssertionsTests
{
    /// <summary>
    /// capture→decoded median and 95th percentile: the README's run (720p60, larger frames than here) gave 27 ms and
    /// 96 ms; these bounds leave 5x and 4x of that. Queueing a second of frames anywhere in the pipeline (encoder
    /// look-ahead, a ring that backs up) puts the median far above them.
    /// </summary>
    private const double LatencyP50BoundMs = 150;
    private const double LatencyP95BoundMs = 400;

    /// <summary>A machine busier than this (1-minute load per core) measures its scheduler, not our latency.</summary>
    private const double BusyLoadPerCore = 2.0;

    private string _cleanSummary = "";
    private JsonDocument? _clean;
    private double _cleanLoad;

    /// <summary>One clean-loopback run serves the tests below (4 s at 15 fps, 320x180, 1 Mbit/s).</summary>
    [OneTimeSetUp]
    public void RunOnCleanLoopback()
    {
        var loadBefore = LoadPerCore();
        (_cleanSummary, _clean) = AqsRun("--duration", "4s", "--size", "320x180", "--fps", "15", "--bitrate", "1000000");
        _cleanLoad = Math.Max(loadBefore, LoadPerCore());
    }

    [OneTimeTearDown]
    public void Release() => _clean?.Dispose();

    /// <summary>What holds however busy the machine is: a clean end, and every frame sent accounted for.</summary>
    [Test]
    public void Clean_loopback_run_ends_clean_and_accounts_for_every_frame()
    {
        AssertEndsCleanAndAccounts(_clean!);
    }

    [Test]
    public void Clean_loopback_run_displays_every_sent_frame_at_readme_quality()
    {
        RequireQuietMachine(_cleanLoad);
        var (summary, json) = (_cleanSummary, _clean!);
        var k = json.RootElement.GetProperty("kernels");
        var display = k.GetProperty("kernel-display");
        var network = k.GetProperty("kernel-network");
        var sent = network.GetProperty("frames_sent").GetInt64();
        Assert.Multiple(() =>
        {
            Assert.That(sent, Is.GreaterThanOrEqualTo(30), "at least half the frames of 4 s at 15 fps reach the network");
            Assert.That(network.GetProperty("frames_received").GetInt64(), Is.EqualTo(sent), "every sent frame is received");
            // The display clock shows the newest picture at each refresh: one that a newer picture replaced before its
            // refresh (start-up bunching) is counted, not shown. On clean loopback that is rare.
            Assert.That(display.GetProperty("frames_skipped_display").GetInt64(), Is.LessThanOrEqualTo(sent / 20), "pictures replaced before their refresh");
            Assert.That(network.GetProperty("frames_lost").GetInt64(), Is.Zero, "clean loopback loses nothing");
            Assert.That(network.GetProperty("frames_dropped_rx_full").GetInt64(), Is.Zero, "the display keeps up with the network");
            Assert.That(display.GetProperty("decode_errors").GetInt64(), Is.Zero);
            // AQS in quality mode spends what VMAF 95 needs, not the whole 1 Mbit/s cap: healthy runs here deliver
            // VMAF 95.1-95.5, PSNR 44 dB, SSIM 0.976 at 0.13-0.15 Mbit/s. The bounds leave the model's start-up error.
            var encode = k.GetProperty("kernel-encode");
            Assert.That(encode.GetProperty("bitrate_target_bps").GetInt64(), Is.LessThanOrEqualTo(1_000_000), "the target stays under --bitrate");
            Assert.That(display.GetProperty("psnr_mean").GetDouble(), Is.GreaterThan(40.0), "PSNR");
            Assert.That(display.GetProperty("ssim_mean").GetDouble(), Is.GreaterThan(0.96), "SSIM");
            if (display.GetProperty("vmaf_unavailable").ValueKind == JsonValueKind.Null)
            {
                Assert.That(display.GetProperty("vmaf_mean").GetDouble(), Is.GreaterThan(90.0), "VMAF near the quality mode's target of 95");
            }
            // The printed summary says what the JSON says.
            Assert.That(Count(summary, "displayed"), Is.EqualTo(display.GetProperty("frames_displayed").GetInt64()), summary);
            Assert.That(Count(summary, "sent"), Is.EqualTo(sent), summary);
        });
    }

    [Test]
    public void Clean_loopback_run_latency_stays_under_the_bound()
    {
        RequireQuietMachine(_cleanLoad);
        var display = _clean!.RootElement.GetProperty("kernels").GetProperty("kernel-display");
        Assert.Multiple(() =>
        {
            Assert.That(display.GetProperty("latency_ms_p50").GetDouble(), Is.LessThan(LatencyP50BoundMs), "latency p50");
            Assert.That(display.GetProperty("latency_ms_p95").GetDouble(), Is.LessThan(LatencyP95BoundMs), "latency p95");
        });
    }

    [Test]
    [CancelAfter(120_000)]
    public void Net_impairment_acts_on_the_pipeline_and_fec_repairs_it()
    {
        var loadBefore = LoadPerCore();
        var (_, json) = AqsRun("--duration", "4s", "--size", "320x180", "--fps", "15", "--bitrate", "1000000", "--net", "loss:5%,delay:20ms,jitter:5ms");
        var load = Math.Max(loadBefore, LoadPerCore());
        var k = json.RootElement.GetProperty("kernels");
        var network = k.GetProperty("kernel-network");
        var display = k.GetProperty("kernel-display");
        AssertEndsCleanAndAccounts(json);
        Assert.That(network.GetProperty("impairment").GetString(), Does.Contain("loss:5%"), "Kernel A reports the impairment it applied");
        RequireQuietMachine(load);
        var sent = network.GetProperty("frames_sent").GetInt64();
        Assert.Multiple(() =>
        {
            Assert.That(network.GetProperty("packets_dropped_by_emulator").GetInt64(), Is.GreaterThan(0), "the emulator dropped packets on the real send path");
            Assert.That(network.GetProperty("frames_recovered").GetInt64() + network.GetProperty("retransmissions").GetInt64(), Is.GreaterThan(0), "FEC or NACK repaired some");
            // 5 % random packet loss with adaptive FEC and NACK: the README's run lost none of 276.
            Assert.That(network.GetProperty("frames_lost").GetInt64(), Is.LessThanOrEqualTo(sent / 20), "frames lost after repair");
            Assert.That(display.GetProperty("psnr_mean").GetDouble(), Is.GreaterThan(40.0), "PSNR of what was displayed");
        });
    }

    /// <summary>Exit codes, ring files, frame matching, colour, and sent = received + lost + dropped for a full rx ring = displayed + the same.</summary>
    private static void AssertEndsCleanAndAccounts(JsonDocument json)
    {
        var k = json.RootElement.GetProperty("kernels");
        var display = k.GetProperty("kernel-display");
        var network = k.GetProperty("kernel-network");
        var sent = network.GetProperty("frames_sent").GetInt64();
        var received = network.GetProperty("frames_received").GetInt64();
        Assert.Multiple(() =>
        {
            Assert.That(json.RootElement.GetProperty("succeeded").GetBoolean(), Is.True, "every kernel exits 0 with a summary");
            Assert.That(json.RootElement.GetProperty("leftover_files").GetArrayLength(), Is.Zero, "no ring files left");
            foreach (var exit in json.RootElement.GetProperty("exit_codes").EnumerateObject())
            {
                Assert.That(exit.Value.GetInt32(), Is.Zero, $"{exit.Name} exit code");
            }
            Assert.That(sent, Is.EqualTo(k.GetProperty("kernel-encode").GetProperty("frames_encoded").GetInt64()), "every encoded frame is sent");
            Assert.That(received + network.GetProperty("frames_lost").GetInt64() + network.GetProperty("frames_dropped_rx_full").GetInt64(), Is.EqualTo(sent),
                "every sent frame is received, counted lost, or counted dropped at a full rx ring");
            Assert.That(display.GetProperty("frames_displayed").GetInt64() + display.GetProperty("frames_skipped_display").GetInt64()
                + display.GetProperty("frames_too_late").GetInt64() + display.GetProperty("frames_skipped_until_keyframe").GetInt64()
                + display.GetProperty("decode_errors").GetInt64(), Is.EqualTo(received),
                "every received frame is displayed, or counted replaced before its refresh, too late, waiting for a keyframe or undecodable");
            Assert.That(display.GetProperty("frames_unmatched").GetInt64(), Is.Zero, "every displayed frame has its reference");
            Assert.That(display.GetProperty("color_mismatches").GetInt64(), Is.Zero);
        });
    }

    /// <summary>Skips, with the figure, what only a machine not starved by other work can show.</summary>
    private static void RequireQuietMachine(double loadPerCore)
    {
        if (loadPerCore > BusyLoadPerCore)
        {
            Assert.Ignore(string.Create(CultureInfo.InvariantCulture,
                $"load {loadPerCore:F1} per core during the run (other work on this machine) exceeds {BusyLoadPerCore}: throughput, loss and latency would measure the scheduler"));
        }
    }

    private static (string Summary, JsonDocument Json) AqsRun(params string[] args)
    {
        var jsonPath = Path.Combine(Path.GetTempPath(), "aqs-run-" + Guid.NewGuid().ToString("N")[..8] + ".json");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in (string[])[Path.Combine(AppContext.BaseDirectory, "aqs.dll"), "run", .. args, "--quiet", "--json", jsonPath])
        {
            info.ArgumentList.Add(a);
        }
        try
        {
            using var process = Process.Start(info)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdoutTask = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"aqs run {string.Join(' ', args)} did not finish in 120 s");
            }
            var stdout = stdoutTask.Result;
            TestContext.Out.WriteLine(stdout);
            Assert.That(process.ExitCode, Is.Zero, $"aqs run {string.Join(' ', args)}: {stderr.Result}");
            return (stdout, JsonDocument.Parse(File.ReadAllText(jsonPath)));
        }
        finally
        {
            File.Delete(jsonPath);
        }
    }

    private static long Count(string summary, string word) =>
        long.Parse(CountPattern(word).Match(summary).Groups[1].Value, CultureInfo.InvariantCulture);

    private static Regex CountPattern(string word) => new($@"\b{word} (\d+)");

    private static double LoadPerCore() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture) / Environment.ProcessorCount;
}
