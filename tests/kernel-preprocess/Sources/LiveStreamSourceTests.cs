using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Aqs.Kernel.Preprocess.Sources;
using Aqs.Shared.Frames;

namespace Aqs.Kernel.Preprocess.Tests.Sources;

/// <summary>Kernel B's live network source fed by the real ffmpeg command line, on loopback.</summary>
[NonParallelizable]
public class LiveStreamSourceTests
{
    private const string Passphrase = "aqs-quad-secret-17";
    private readonly List<string> _log = [];

    [SetUp]
    public void ForgetTheLastTestsLog()
    {
        lock (_log)
        {
            _log.Clear();
        }
    }

    private void Log(string line)
    {
        lock (_log)
        {
            _log.Add(line);
        }
    }

    private static int FreeUdpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    private static bool UdpPortBound(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(IPAddress.Any, port));
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    /// <summary>ffmpeg sending <paramref name="seconds"/> of a 320x240 30 fps test picture, keyframes every <paramref name="gop"/> frames.</summary>
    private static Process Send(string output, string format, double seconds, string size = "320x240", int gop = 30, params string[] extra)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-v", "error", "-re", "-f", "lavfi", "-i", $"testsrc2=size={size}:rate=30", "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", gop.ToString(System.Globalization.CultureInfo.InvariantCulture), "-pix_fmt", "yuv420p" })
        {
            info.ArgumentList.Add(a);
        }
        foreach (var a in extra)
        {
            info.ArgumentList.Add(a);
        }
        info.ArgumentList.Add("-f");
        info.ArgumentList.Add(format);
        info.ArgumentList.Add(output);
        return Process.Start(info)!;
    }

    /// <summary>Opens the source on a thread of its own (it waits for its sender), once the test's sender may start.</summary>
    private Task<LiveStreamSource> OpenAsync(string input, CancellationToken stop, TimeSpan? idle = null) =>
        Task.Run(() => LiveStreamSource.Open(input, new SourceOpenOptions { Stopping = stop }, Log, idle));

    private static void WaitFor(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(15)), what);
            Thread.Sleep(20);
        }
    }

    /// <summary>
    /// Reads frames until <paramref name="done"/> holds, checked as frames come and, from a watchdog, while the source
    /// waits for a sender that has gone (only a stop ends that wait); 20 s at most.
    /// </summary>
    private static List<SourceFrameInfo> ReadUntil(LiveStreamSource source, CancellationTokenSource stop, Func<List<SourceFrameInfo>, bool> done)
    {
        var frames = new List<SourceFrameInfo>();
        var clock = Stopwatch.StartNew();
        using var watchdog = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                lock (frames)
                {
                    if (done(frames) || clock.Elapsed > TimeSpan.FromSeconds(20))
                    {
                        stop.Cancel();
                    }
                }
                Thread.Sleep(50);
            }
        });
        var buffer = new byte[source.Layout.FrameSize];
        while (source.TryReadFrame(buffer, out var info))
        {
            lock (frames)
            {
                frames.Add(info);
            }
        }
        stop.Cancel();
        watchdog.Wait();
        return frames;
    }

    private bool SenderGone(Process sender) => sender.HasExited && LogSays("waiting for the sender to come back");

    private bool LogSays(string text)
    {
        lock (_log)
        {
            return _log.Exists(l => l.Contains(text, StringComparison.Ordinal));
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public void Srt_listener_takes_an_ffmpeg_caller_with_a_passphrase_and_delivers_every_frame()
    {
        var port = FreeUdpPort();
        using var stop = new CancellationTokenSource();
        var opening = OpenAsync($"srt://127.0.0.1:{port}?mode=listener&passphrase={Passphrase}", stop.Token);
        WaitFor(() => UdpPortBound(port), "the source listens");
        using var sender = Send($"srt://127.0.0.1:{port}?mode=caller&passphrase={Passphrase}", "mpegts", 2);
        using var source = opening.Result;
        var frames = ReadUntil(source, stop, _ => SenderGone(sender));
        sender.WaitForExit();
        Assert.Multiple(() =>
        {
            Assert.That(sender.ExitCode, Is.Zero, sender.StandardError.ReadToEnd());
            Assert.That(source.IsLive, Is.True);
            Assert.That(source.Layout, Is.EqualTo(new FrameLayout(320, 240, PixelFormat.Yuv420p)));
            Assert.That(source.Fps, Is.EqualTo(30.0).Within(0.01));
            // ffmpeg's SRT caller closes without waiting out the 120 ms latency: the frames still held then (up to 4) are lost.
            Assert.That(frames, Has.Count.InRange(56, 60), "2 s at 30 fps");
            Assert.That(frames.Zip(frames.Skip(1), (a, b) => b.PtsNs - a.PtsNs), Has.All.InRange(30_000_000L, 37_000_000L), "no frame missing in between");
            Assert.That(frames[0].Keyframe, Is.True);
            Assert.That(frames.Select(f => f.PtsNs), Is.Ordered.Ascending);
            Assert.That(_log, Has.None.Contains(Passphrase));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public void Rtp_described_by_an_sdp_file_is_received_from_ffmpeg()
    {
        var port = FreeUdpPort() & ~1;
        var sdp = Path.Combine(Path.GetTempPath(), $"aqs-ingest-{Guid.NewGuid():N}.sdp");
        // What ffmpeg's -sdp_file writes for this stream, written before it starts so that we listen first.
        File.WriteAllText(sdp, $"v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=No Name\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=video {port} RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1\r\n");
        try
        {
            using var stop = new CancellationTokenSource();
            var opening = OpenAsync(sdp, stop.Token);
            WaitFor(() => UdpPortBound(port), "the source listens");
            using var sender = Send($"rtp://127.0.0.1:{port}", "rtp", 2, extra: ["-rtpflags", "send_bye"]);
            using var source = opening.Result;
            var frames = ReadUntil(source, stop, _ => SenderGone(sender));
            Assert.Multiple(() =>
            {
                Assert.That(source.Layout, Is.EqualTo(new FrameLayout(320, 240, PixelFormat.Yuv420p)));
                Assert.That(frames, Has.Count.EqualTo(60), "2 s at 30 fps over RTP on loopback");
                Assert.That(frames.Select(f => f.PtsNs), Is.Ordered.Ascending);
            });
        }
        finally
        {
            File.Delete(sdp);
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public void Udp_mpegts_source_waits_for_a_restarted_sender_and_keeps_its_frame_size()
    {
        var port = FreeUdpPort();
        using var stop = new CancellationTokenSource();
        var opening = OpenAsync($"udp://127.0.0.1:{port}", stop.Token, TimeSpan.FromMilliseconds(700));
        WaitFor(() => UdpPortBound(port), "the source listens");
        using (var first = Send($"udp://127.0.0.1:{port}?pkt_size=1316", "mpegts", 1.5, gop: 10))
        {
            using var source = opening.Result;
            Process? second = null;
            List<SourceFrameInfo> frames;
            try
            {
                frames = ReadUntil(source, stop, f =>
                {
                    if (second is null && LogSays("waiting for the sender to come back"))
                    {
                        // The sender restarts, at another size: frames keep the size the pipeline was built for.
                        second = Send($"udp://127.0.0.1:{port}?pkt_size=1316", "mpegts", 1.5, size: "160x120", gop: 10);
                    }
                    return source.Reconnects == 1 && f.Count(x => x.Keyframe) >= 2 && f.Count >= 50;
                });
            }
            finally
            {
                second?.Kill(entireProcessTree: true);
                second?.Dispose();
            }
            var resumed = frames.FindIndex(1, f => f.Keyframe);
            Assert.Multiple(() =>
            {
                Assert.That(source.Reconnects, Is.EqualTo(1), string.Join(" | ", _log));
                Assert.That(source.Layout, Is.EqualTo(new FrameLayout(320, 240, PixelFormat.Yuv420p)));
                Assert.That(resumed, Is.GreaterThan(0), "the first frame after the restart is a keyframe hint");
                Assert.That(frames[resumed].SceneCut, Is.True);
                Assert.That(frames.Select(f => f.PtsNs), Is.Ordered.Ascending.And.Unique, "timestamps keep rising across the restart");
                Assert.That(frames.Select(f => f.FrameIndex), Is.EqualTo(Enumerable.Range(0, frames.Count).Select(i => (long)i)));
                Assert.That(_log, Has.Some.Contains("no data for 0.7 s"));
            });
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public void Rist_source_receives_ffmpegs_stream()
    {
        var port = FreeUdpPort();
        using var stop = new CancellationTokenSource();
        var opening = OpenAsync($"rist://@127.0.0.1:{port}", stop.Token);
        WaitFor(() => UdpPortBound(port), "the source listens");
        using var sender = Send($"rist://127.0.0.1:{port}", "mpegts", 3, gop: 15);
        using var source = opening.Result;
        var frames = ReadUntil(source, stop, f => f.Count >= 30);
        Assert.Multiple(() =>
        {
            Assert.That(source.Layout, Is.EqualTo(new FrameLayout(320, 240, PixelFormat.Yuv420p)));
            Assert.That(frames, Has.Count.GreaterThanOrEqualTo(30));
            Assert.That(frames[0].Keyframe, Is.True);
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public void A_source_still_waiting_for_its_sender_gives_up_when_the_kernel_stops()
    {
        var port = FreeUdpPort();
        using var stop = new CancellationTokenSource();
        var opening = OpenAsync($"srt://127.0.0.1:{port}?mode=listener", stop.Token);
        WaitFor(() => UdpPortBound(port), "the source listens");
        var clock = Stopwatch.StartNew();
        stop.Cancel();
        var e = Assert.Throws<AggregateException>(() => opening.Wait())!.InnerException;
        Assert.Multiple(() =>
        {
            Assert.That(e, Is.InstanceOf<SourceException>());
            Assert.That(e!.Message, Does.Contain("stopped"));
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)), "libavformat's wait ends at the interrupt, not at a timeout");
            Assert.That(UdpPortBound(port), Is.False, "the listener let go of its port");
        });
    }

    [TestCase("rtp://127.0.0.1:5004", "needs its session description")]
    [TestCase("/nonexistent/stream.sdp", "no such SDP file")]
    [TestCase("srt://no-such-host.invalid:9000", "no-such-host.invalid")]
    public void An_input_that_can_never_work_is_one_line_at_once(string input, string expected)
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var e = Assert.Throws<SourceException>(() => LiveStreamSource.Open(input, new SourceOpenOptions { Stopping = stop.Token }, Log))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Message, Does.Contain(expected));
            Assert.That(e.Message, Does.Not.Contain("\n"));
            Assert.That(stop.IsCancellationRequested, Is.False, "it did not wait for a sender");
        });
    }

    [TestCase("srt://127.0.0.1:9000?mode=listener", true)]
    [TestCase("rist://@:9000", true)]
    [TestCase("udp://@:1234", true)]
    [TestCase("rtp://127.0.0.1:5004", true)]
    [TestCase("stream.sdp", true)]
    [TestCase("clip.mp4", false)]
    [TestCase("http://example/stream.ts", false)]
    public void Live_network_inputs_are_recognised(string input, bool live) =>
        Assert.That(LiveStreamSource.Handles(input), Is.EqualTo(live));
}
