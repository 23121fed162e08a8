using System.Globalization;
using Aqs.Kernel.Network.Egress;
using Aqs.Shared.Frames;
using Aqs.Shared.Media;
using Aqs.Shared.Quality;

namespace Aqs.Kernel.Network.Tests.Egress;

[NonParallelizable]
public class StreamEgressTests
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

    private StreamEgress Open(string url)
    {
        var egress = new StreamEgress(EgressTarget.Parse(url), line =>
        {
            lock (_log)
            {
                _log.Add(line);
            }
        });
        egress.Start();
        return egress;
    }

    private static string TempTs() => Path.Combine(Path.GetTempPath(), $"aqs-egress-{Guid.NewGuid():N}.ts");

    private static void Play(StreamEgress egress, EgressTestStream stream, int frames) => Play(egress, stream, frames, keyEvery: int.MaxValue);

    /// <summary>
    /// Decodes what the receiver wrote; every frame's luma PSNR against the source picture of the same number, counted
    /// from the source frame the first received one matches best (a receiver that joined late starts later).
    /// </summary>
    private static List<double> ReceivedPsnr(string path, EgressTestStream stream, out int first, int candidates = 1)
    {
        using var reader = MediaFileReader.Open(path);
        Assert.That(reader.Layout, Is.EqualTo(stream.Layout));
        var metric = new PsnrMetric(stream.Layout);
        var psnr = new List<double>();
        first = 0;
        while (reader.TryReadFrame(out var frame))
        {
            if (psnr.Count == 0)
            {
                var best = double.MinValue;
                for (var t = 0; t < candidates; t++)
                {
                    var y = metric.Compute(PlanarFrame.FromPacked(stream.Layout, stream.Picture(t)), frame.View).Y;
                    (best, first) = y > best ? (y, t) : (best, first);
                }
            }
            var source = PlanarFrame.FromPacked(stream.Layout, stream.Picture(psnr.Count + first));
            psnr.Add(metric.Compute(source, frame.View).Y);
        }
        return psnr;
    }

    /// <summary>Offers <paramref name="frames"/> frames at the stream's rate, a keyframe every <paramref name="keyEvery"/>.</summary>
    private static void Play(StreamEgress egress, EgressTestStream stream, int frames, int keyEvery)
    {
        for (var i = 0; i < frames; i++)
        {
            egress.Offer(stream.Next(key: i % keyEvery == 0));
            Thread.Sleep(1000 / EgressTestStream.Fps);
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public void Ffmpeg_receives_our_srt_stream_with_a_passphrase_every_frame_and_close_to_the_source()
    {
        var port = EgressTestStream.FreeUdpPort();
        var output = TempTs();
        using var stream = new EgressTestStream();
        try
        {
            using var ffmpeg = EgressTestStream.Start("ffmpeg", "-v", "error", "-y", "-i", $"srt://127.0.0.1:{port}?mode=listener&passphrase={Passphrase}",
                "-c", "copy", "-f", "mpegts", output);
            EgressTestStream.WaitForListener(port, ffmpeg);
            var egress = Open($"srt://127.0.0.1:{port}?mode=caller&latency=50000&passphrase={Passphrase}");
            const int frames = 60;
            Play(egress, stream, frames);
            egress.Dispose(); // trailer, close: the listener sees the end of its input
            EgressTestStream.Finish(ffmpeg, TimeSpan.FromSeconds(20));
            var psnr = ReceivedPsnr(output, stream, out var first);
            Assert.Multiple(() =>
            {
                Assert.That(egress.FramesSent, Is.EqualTo(frames));
                Assert.That(egress.FramesDropped, Is.Zero);
                Assert.That(first, Is.Zero);
                Assert.That(psnr, Has.Count.EqualTo(frames), "frames ffmpeg received and wrote");
                Assert.That(psnr.Min(), Is.GreaterThan(32.0), "luma PSNR of the worst received frame against its source");
                Assert.That(_log, Has.None.Contains(Passphrase), "the passphrase never reaches a log");
            });
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public void A_wrong_srt_passphrase_gives_one_clear_line_and_sends_nothing()
    {
        var port = EgressTestStream.FreeUdpPort();
        using var stream = new EgressTestStream();
        using var ffmpeg = EgressTestStream.Start("ffmpeg", "-v", "quiet", "-y", "-i", $"srt://127.0.0.1:{port}?mode=listener&passphrase={Passphrase}", "-f", "null", "-");
        try
        {
            EgressTestStream.WaitForListener(port, ffmpeg);
            var egress = Open($"srt://127.0.0.1:{port}?mode=caller&passphrase=not-the-right-one");
            // Keyframes for 3 s: the egress tries again about every second and must not repeat itself.
            for (var i = 0; i < 90; i++)
            {
                egress.Offer(stream.Next(key: i % 15 == 0));
                Thread.Sleep(1000 / EgressTestStream.Fps);
            }
            egress.Dispose();
            var lines = _log.Where(l => l.Contains("passphrase", StringComparison.Ordinal)).ToList();
            Assert.Multiple(() =>
            {
                Assert.That(lines, Has.Count.EqualTo(1), string.Join(" | ", _log));
                Assert.That(lines[0], Does.Contain("refused us").And.Contain("srt://127.0.0.1:" + port).And.Not.Contain("not-the-right-one"));
                Assert.That(lines[0], Does.Not.Contain("\n"));
                Assert.That(egress.ConnectFailures, Is.GreaterThanOrEqualTo(2), "it kept trying");
                Assert.That(egress.FramesSent, Is.Zero);
            });
        }
        finally
        {
            ffmpeg.Kill(entireProcessTree: true);
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public void Ffprobe_counts_every_frame_of_our_mpegts_over_udp()
    {
        var port = EgressTestStream.FreeUdpPort();
        using var stream = new EgressTestStream();
        // The read timeout ends ffprobe's input once we stop sending.
        using var probe = EgressTestStream.Start("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
            "-show_entries", "stream=codec_name,width,height,nb_read_frames", "-of", "default=nw=1", $"udp://127.0.0.1:{port}?timeout=1500000");
        EgressTestStream.WaitForListener(port, probe);
        var egress = Open($"udp://127.0.0.1:{port}");
        const int frames = 60;
        Play(egress, stream, frames);
        egress.Dispose();
        var fields = EgressTestStream.Fields(EgressTestStream.Finish(probe, TimeSpan.FromSeconds(20)));
        Assert.Multiple(() =>
        {
            Assert.That(fields["codec_name"], Is.EqualTo("h264"));
            Assert.That(fields["width"], Is.EqualTo("320"));
            Assert.That(fields["nb_read_frames"], Is.EqualTo(frames.ToString(CultureInfo.InvariantCulture)));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public void Ffmpeg_receives_our_rist_stream_close_to_the_source()
    {
        var port = EgressTestStream.FreeUdpPort();
        var output = TempTs();
        using var stream = new EgressTestStream();
        try
        {
            // ffmpeg probes 5 s of a live TS before its first output by default; a live viewer shortens that, and RIST has no
            // end of stream that would cut the probe short as SRT's has. Its input ends after 1.5 s without data.
            using var ffmpeg = EgressTestStream.Start("ffmpeg", "-v", "error", "-y", "-analyzeduration", "500000", "-rw_timeout", "1500000",
                "-i", $"rist://@127.0.0.1:{port}", "-c", "copy", "-f", "mpegts", output);
            EgressTestStream.WaitForListener(port, ffmpeg);
            var egress = Open($"rist://127.0.0.1:{port}");
            // librist drops what comes while its flow is set up (about the first 0.7 s): keyframes every 0.5 s let ffmpeg join.
            const int frames = 90;
            Play(egress, stream, frames, keyEvery: 15);
            egress.Dispose();
            EgressTestStream.Finish(ffmpeg, TimeSpan.FromSeconds(20));
            var psnr = ReceivedPsnr(output, stream, out var first, candidates: frames);
            Assert.Multiple(() =>
            {
                Assert.That(egress.FramesSent, Is.EqualTo(frames));
                Assert.That(first % 15, Is.Zero, "the receiver starts at one of our keyframes");
                Assert.That(psnr, Has.Count.EqualTo(frames - first), "from its first frame on, ffmpeg received and wrote every frame");
                Assert.That(psnr.Min(), Is.GreaterThan(32.0));
            });
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public void A_rung_switch_reaches_ffprobe_as_a_new_size_starting_at_a_keyframe()
    {
        var port = EgressTestStream.FreeUdpPort();
        using var high = new EgressTestStream(320, 240);
        using var low = new EgressTestStream(160, 120);
        using var probe = EgressTestStream.Start("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "frame=width,height,key_frame",
            "-of", "csv=p=0", $"udp://127.0.0.1:{port}?timeout=1500000");
        EgressTestStream.WaitForListener(port, probe);
        var egress = Open($"udp://127.0.0.1:{port}");
        // The engine's switch: a new encoder at the new size, whose first frame is a keyframe flagged RungSwitch.
        for (var i = 0; i < 60; i++)
        {
            var frame = i < 30 ? high.Next(key: i == 0) : low.Next(key: i == 30);
            egress.Offer(frame with { PtsNs = i * 1_000_000_000L / EgressTestStream.Fps, RungSwitch = i == 30 });
            Thread.Sleep(1000 / EgressTestStream.Fps);
        }
        egress.Dispose();
        var frames = EgressTestStream.Finish(probe, TimeSpan.FromSeconds(20)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split(',')).Select(f => (Key: f[0] == "1", Size: $"{f[1]}x{f[2]}")).ToList();
        var firstLow = frames.FindIndex(f => f.Size == "160x120");
        Assert.Multiple(() =>
        {
            Assert.That(frames, Has.Count.EqualTo(60), "every frame decodes: the new size's parameter sets came with its keyframe");
            Assert.That(frames.Take(30).Select(f => f.Size), Has.All.EqualTo("320x240"));
            Assert.That(firstLow, Is.EqualTo(30));
            Assert.That(frames[firstLow].Key, Is.True);
            Assert.That(frames.Skip(30).Select(f => f.Size), Has.All.EqualTo("160x120"));
        });
    }

    [TestCase("ftp://example/x", "is not rtp://")]
    [TestCase("rtp://127.0.0.1", "expected rtp://HOST:PORT")]
    [TestCase("rtp://127.0.0.1:5004?bogus=1", "'bogus=1' is not")]
    [TestCase("rtp://127.0.0.1:5004?net=loss:200%25", "net:")]
    public void A_bad_egress_is_one_usage_line(string text, string expected)
    {
        var e = Assert.Throws<Aqs.Shared.Cli.UserFacingException>(() => EgressTarget.Parse(text))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Message, Does.StartWith("--egress: ").And.Contain(expected));
            Assert.That(e.ExitCode, Is.EqualTo(Aqs.Shared.Cli.CommandLineHost.ExitUsage));
        });
    }

    [Test]
    public void Udp_egress_gets_whole_ts_packets_per_datagram_unless_told_otherwise()
    {
        Assert.Multiple(() =>
        {
            Assert.That(EgressTarget.Parse("udp://127.0.0.1:1234").Url, Is.EqualTo("udp://127.0.0.1:1234?pkt_size=1316"));
            Assert.That(EgressTarget.Parse("udp://127.0.0.1:1234?pkt_size=188").Url, Is.EqualTo("udp://127.0.0.1:1234?pkt_size=188"));
            Assert.That(EgressTarget.Parse("srt://h:1?passphrase=abcdefghij").Name, Is.EqualTo("srt://h:1?passphrase=***"));
        });
    }
}
