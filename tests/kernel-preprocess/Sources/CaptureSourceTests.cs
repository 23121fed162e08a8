using System.Diagnostics;
using Aqs.Kernel.Preprocess.Sources;

namespace Aqs.Kernel.Preprocess.Tests.Sources;

/// <summary>Live capture through libavdevice: the screen under a private Xvfb, and missing devices.</summary>
[NonParallelizable]
public class CaptureSourceTests
{
    private Process? _xvfb;
    private int? _display;

    /// <summary>A display number with neither a socket nor a lock file: nobody serves it.</summary>
    private static int FreeDisplay(int from)
    {
        for (var n = from; n < from + 200; n++)
        {
            if (!File.Exists($"/tmp/.X11-unix/X{n}") && !File.Exists($"/tmp/.X{n}-lock"))
            {
                return n;
            }
        }
        throw new InvalidOperationException("no free X display number");
    }

    private int StartXvfb()
    {
        if (!File.Exists("/usr/bin/Xvfb"))
        {
            Assert.Ignore("Xvfb is not installed (apt package xvfb)");
        }
        var display = FreeDisplay(100 + Environment.ProcessId % 500);
        _xvfb = Process.Start(new ProcessStartInfo("/usr/bin/Xvfb", $":{display} -screen 0 640x480x24 -nolisten tcp")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        _xvfb.ErrorDataReceived += (_, _) => { };
        _xvfb.BeginErrorReadLine();
        _xvfb.BeginOutputReadLine();
        var deadline = Stopwatch.StartNew();
        while (!File.Exists($"/tmp/.X11-unix/X{display}"))
        {
            if (_xvfb.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(15))
            {
                Assert.Fail($"Xvfb :{display} did not come up");
            }
            Thread.Sleep(50);
        }
        _display = display; // ours from here: TearDown removes what is left of it
        return display;
    }

    [TearDown]
    public void StopXvfb()
    {
        if (_xvfb is { } x)
        {
            if (!x.HasExited)
            {
                // SIGTERM, not Kill (SIGKILL): Xvfb then removes its /tmp/.X11-unix socket and /tmp/.XN-lock file.
                using (var term = Process.Start("kill", ["-TERM", x.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                {
                    term.WaitForExit(5000);
                }
                if (!x.WaitForExit(5000))
                {
                    x.Kill();
                    x.WaitForExit(5000);
                }
            }
            x.Dispose();
            _xvfb = null;
            if (_display is { } n)
            {
                File.Delete($"/tmp/.X11-unix/X{n}");
                File.Delete($"/tmp/.X{n}-lock");
                _display = null;
            }
        }
    }

    [Test]
    public void X11grab_captures_frames_of_the_screen_at_the_asked_size()
    {
        var display = StartXvfb();
        using var source = MediaFileSource.Open($"x11grab::{display}.0+16,8", new SourceOpenOptions { Size = "320x240", Fps = "30" });
        Assert.That(source.Layout.Width, Is.EqualTo(320));
        Assert.That(source.Layout.Height, Is.EqualTo(240));
        Assert.That(source.Fps, Is.EqualTo(30).Within(0.01));
        Assert.That(source.IsLive, Is.True, "capture paces itself; Kernel B must not pace it again");
        Assert.That(new LoopingSource(source, new SourceOptions(FrameLimit: 5)).IsLive, Is.True, "--frames keeps it live");
        var buffer = new byte[source.Layout.FrameSize];
        var pts = new List<long>();
        for (var i = 0; i < 10; i++)
        {
            Assert.That(source.TryReadFrame(buffer, out var info), Is.True, $"frame {i}");
            pts.Add(info.PtsNs);
        }
        TestContext.Out.WriteLine("capture pts ns: " + string.Join(", ", pts));
        Assert.That(pts, Is.Ordered.Ascending);
        Assert.That(pts[^1], Is.GreaterThan(pts[0]), "capture timestamps advance");
    }

    [Test]
    public void X11grab_without_a_display_server_is_a_one_line_source_error()
    {
        var display = FreeDisplay(700);
        var e = Assert.Throws<SourceException>(() => MediaFileSource.Open($"x11grab::{display}", new SourceOpenOptions()).Dispose())!;
        Assert.That(e.Message, Does.Contain($"x11grab::{display}"));
        Assert.That(e.Message, Does.Not.Contain('\n'));
    }

    [Test]
    public void V4l2_without_the_device_is_a_one_line_source_error()
    {
        var device = Enumerable.Range(40, 60).Select(n => $"/dev/video{n}").First(p => !File.Exists(p));
        var e = Assert.Throws<SourceException>(() => MediaFileSource.Open($"v4l2:{device}", new SourceOpenOptions()).Dispose())!;
        Assert.That(e.Message, Does.Contain(device));
        Assert.That(e.Message, Does.Not.Contain('\n'));
    }

    [Test]
    public void Capture_input_turns_size_and_fps_into_device_options()
    {
        var c = CaptureInput.TryParse("x11grab::5.0+10,20", new SourceOpenOptions { Size = "640x360", Fps = "60000/1001" })!;
        Assert.That(c.FormatName, Is.EqualTo("x11grab"));
        Assert.That(c.Url, Is.EqualTo(":5.0+10,20"));
        Assert.That(c.Options["video_size"], Is.EqualTo("640x360"));
        Assert.That(c.Options["framerate"], Is.EqualTo("60000/1001"));
        Assert.That(CaptureInput.TryParse("clip.mkv", new SourceOpenOptions()), Is.Null);
        Assert.That(CaptureInput.TryParse("srt://host:9000", new SourceOpenOptions()), Is.Null);
    }
}
