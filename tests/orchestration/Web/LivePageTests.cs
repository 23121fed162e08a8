using System.Net;
using System.Net.Http.Json;
using Aqs.Orchestration.Run;
using Aqs.Orchestration.Tests.Infrastructure;
using Aqs.Shared.Contracts;
using Microsoft.Playwright;

namespace Aqs.Orchestration.Tests.Web;

/// <summary>
/// The live page in a real headless Chromium (Debian's, driven by Playwright) against a real running pipeline: the
/// page loads, its charts receive points, the preview shows a picture, and its controls change the running stream
/// through the control plane; <c>aqs set</c> does the same from another process.
/// </summary>
[NonParallelizable]
public class LivePageTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Test]
    [CancelAfter(180_000)]
    public async Task The_page_loads_charts_receive_points_and_a_control_changes_the_running_stream()
    {
        if (!File.Exists(Chromium))
        {
            Assert.Ignore($"{Chromium} is missing: orchestration/aqs setup installs Debian's chromium");
        }
        using var runs = new TempRuns();
        using var stop = new CancellationTokenSource();
        var run = new PipelineRun(new RunOptions
        {
            Duration = TimeSpan.FromSeconds(90),
            Size = "320x180",
            Fps = 30,
            View = RunView.None,
            RunsDirectory = runs.Path,
            WebPort = 0,
            DisplayArguments = ["--vmaf", "off"],
        }, TextWriter.Null);
        var execution = Task.Factory.StartNew(() => run.Execute(stop.Token), TaskCreationOptions.LongRunning);
        while (run.WebAddress is null)
        {
            Assert.That(execution.IsCompleted, Is.False, "the run ended before its page was up");
            await Task.Delay(100);
        }
        using var spy = new ControlPlaneSpy(run.ControlPort);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1300, Height = 1400 } });
        await page.GotoAsync(run.WebAddress.ToString());

        await page.WaitForFunctionAsync("() => window.aqs && window.aqs.points >= 4", null, new PageWaitForFunctionOptions { Timeout = 90_000 });
        var canvases = await page.EvaluateAsync<int>("() => document.querySelectorAll('#charts canvas').length");
        var bitratePoints = await page.EvaluateAsync<int>("() => window.aqs.plots[0].data[1].filter(v => v !== null).length");
        await page.WaitForFunctionAsync("() => document.getElementById('preview').naturalWidth > 0", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        var previewWidth = await page.EvaluateAsync<int>("() => document.getElementById('preview').naturalWidth");

        await page.SelectOptionAsync("select[name=mode]", "sports");
        await page.FillAsync("input[name=vmaf-target]", "91");
        await page.FillAsync("input[name=bitrate-cap]", "1500");
        await page.ClickAsync("#apply");
        await page.WaitForFunctionAsync("() => window.aqs.lastApplied && window.aqs.lastApplied.ok");
        var fromPage = await Eventually(() => spy.Of<Command>().FirstOrDefault(c => c.Kind == CommandKind.UpdateParams && c.VmafTarget == 91));
        await page.WaitForTimeoutAsync(1500); // a few more points after the change, for the picture
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifact("live-page.png"), FullPage = true });

        // A value the engine refuses is refused here too, in its words.
        using var http = new HttpClient { BaseAddress = run.WebAddress };
        var refused = await http.PostAsJsonAsync("/api/params", new Dictionary<string, string> { ["vmaf-target"] = "150" });
        var refusal = await refused.Content.ReadAsStringAsync();

        // aqs set from another process reaches the same session through the launcher's command socket.
        var (setExit, setOut, setErr) = AqsCli.Run(runs.Path, TimeSpan.FromSeconds(30), "set", "--session", run.Session, "--runs", runs.Path, "--vmaf-target", "88", "--mode", "conference");
        var fromSet = await Eventually(() => spy.Of<Command>().FirstOrDefault(c => c.Kind == CommandKind.UpdateParams && c.VmafTarget == 88));
        var (noSessionExit, _, noSessionErr) = AqsCli.Run(runs.Path, TimeSpan.FromSeconds(30), "set", "--session", "nosuchsession", "--runs", runs.Path, "--vmaf-target", "88");

        stop.Cancel();
        var result = await execution;

        Assert.Multiple(() =>
        {
            Assert.That(canvases, Is.GreaterThanOrEqualTo(9), "one uPlot chart per chart definition");
            Assert.That(bitratePoints, Is.GreaterThanOrEqualTo(2), "the bitrate chart holds measured points");
            Assert.That(previewWidth, Is.GreaterThan(0), "the preview shows a picture");
            Assert.That(fromPage, Is.Not.Null, "the page's control published UpdateParams on the control plane");
            Assert.That(fromPage?.Mode, Is.EqualTo("sports"));
            Assert.That(fromPage?.BitrateCapKbps, Is.EqualTo(1500));
            Assert.That(fromPage?.Target, Is.EqualTo(KernelRole.Encode));
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(refusal, Does.Contain("vmaf-target"));
            Assert.That(setExit, Is.Zero, setOut + setErr);
            Assert.That(fromSet?.Mode, Is.EqualTo("conference"), "aqs set published on the running session");
            Assert.That(noSessionExit, Is.EqualTo(2));
            Assert.That(noSessionErr.Trim().Split('\n'), Has.Length.EqualTo(1), noSessionErr);
            Assert.That(result.EndReason, Is.EqualTo("stopped (interrupted)"));
            Assert.That(File.Exists(run.Folder!.File("report.html")), Is.True, "an interrupted run still writes its report");
            Assert.That(result.LeftoverFiles, Is.Empty);
        });
        // Kernel C answers UpdateParams with decisions that carry the new mode; where it publishes decisions, check that it did.
        var decisionsAfter = spy.Of<EncoderDecision>().Where(d => d.TimestampNs > fromPage!.TimestampNs).ToList();
        if (decisionsAfter.Count > 0)
        {
            Assert.That(decisionsAfter.Select(d => d.Mode), Does.Contain("sports"), "the running stream's decisions reflect the change");
        }
    }

    private static async Task<T?> Eventually<T>(Func<T?> probe) where T : class
    {
        for (var i = 0; i < 50; i++)
        {
            if (probe() is { } found)
            {
                return found;
            }
            await Task.Delay(100);
        }
        return null;
    }

    internal static string Artifact(string name)
    {
        var folder = Environment.GetEnvironmentVariable("AQS_ARTIFACTS") is { Length: > 0 } dir ? dir : TestContext.CurrentContext.WorkDirectory;
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name);
    }
}
