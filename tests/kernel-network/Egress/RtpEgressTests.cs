using Aqs.Kernel.Network.Egress;
using Aqs.Shared.Contracts;

namespace Aqs.Kernel.Network.Tests.Egress;

[NonParallelizable]
public class RtpEgressTests
{
    private readonly List<string> _log = [];

    private RtpEgress Open(int port, string sdp, string query = "")
    {
        var target = EgressTarget.Parse($"rtp://127.0.0.1:{port}?sdp={sdp}{query}");
        var egress = new RtpEgress(target, line =>
        {
            lock (_log)
            {
                _log.Add(line);
            }
        });
        egress.Start();
        return egress;
    }

    private static string TempSdp() => Path.Combine(Path.GetTempPath(), $"aqs-egress-{Guid.NewGuid():N}.sdp");

    /// <summary>Offers the first keyframe and waits for the SDP it writes.</summary>
    private static void StartStream(RtpEgress egress, EgressTestStream stream, string sdp)
    {
        egress.Offer(stream.Next(key: true));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!File.Exists(sdp) && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.Sleep(10);
        }
        Assert.That(File.Exists(sdp), Is.True, "the egress wrote no SDP");
    }

    [Test]
    [CancelAfter(60_000)]
    public void Ffprobe_reads_our_sdp_and_counts_every_frame_sent_after_it_joined()
    {
        var port = EgressTestStream.FreeUdpPort();
        var sdp = TempSdp();
        using var stream = new EgressTestStream();
        try
        {
            var egress = Open(port, sdp);
            StartStream(egress, stream, sdp);
            using var probe = EgressTestStream.Start("ffprobe", "-v", "error", "-protocol_whitelist", "file,udp,rtp", "-sdp_flags", "rtcp_to_source",
                "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=codec_name,width,height,nb_read_frames", "-of", "default=nw=1", sdp);
            EgressTestStream.WaitForListener(port, probe);
            const int frames = 60;
            for (var i = 0; i < frames; i++)
            {
                egress.Offer(stream.Next(key: i == 0));
                Thread.Sleep(1000 / EgressTestStream.Fps);
            }
            egress.Dispose(); // BYE: ffprobe ends its stream there
            var fields = EgressTestStream.Fields(EgressTestStream.Finish(probe, TimeSpan.FromSeconds(20)));
            Assert.Multiple(() =>
            {
                Assert.That(fields["codec_name"], Is.EqualTo("h264"));
                Assert.That(fields["width"], Is.EqualTo("320"));
                Assert.That(fields["height"], Is.EqualTo("240"));
                Assert.That(fields["nb_read_frames"], Is.EqualTo(frames.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                Assert.That(egress.FramesSent, Is.EqualTo(frames + 1));
                Assert.That(File.ReadAllText(sdp), Does.Contain("m=video " + port + " RTP/AVP 96").And.Contain("H264/90000"));
            });
        }
        finally
        {
            File.Delete(sdp);
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public void An_rtsp_client_behind_a_lossy_link_reports_loss_and_rtt_that_lower_the_estimate_the_engine_sees()
    {
        var port = EgressTestStream.FreeUdpPort(); // free for TCP too on a quiet loopback
        using var stream = new EgressTestStream(bitrateBps: 3_000_000, noisy: true);
        var egress = OpenRtsp(port, "&net=loss:20%25;seed:7");
        egress.Offer(stream.Next(key: true)); // sets the codec DESCRIBE answers with; the worker waits for PLAY
        using var ffmpeg = EgressTestStream.Start("ffmpeg", "-v", "error", "-rtsp_transport", "udp", "-i", $"rtsp://127.0.0.1:{port}/aqs", "-f", "null", "-");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // ffmpeg reports after every ~280 kB it receives: a few seconds of 3 Mbit/s give several.
        for (var i = 0; egress.Feedback.View.Reports < 3 && clock.Elapsed < TimeSpan.FromSeconds(20); i++)
        {
            egress.Offer(stream.Next(key: egress.TakeKeyframeRequest() || i % 60 == 0));
            Thread.Sleep(1000 / EgressTestStream.Fps);
        }
        var view = egress.Feedback.View;
        var ours = new NetworkStats { EstimatedBandwidthBps = 20_000_000, LossRate = 0, JitterMs = 0, RttMs = 0 };
        var merged = EgressSet.Of(egress).Merge(ours);
        var sessions = egress.Server!.Sessions;
        egress.Dispose();
        ffmpeg.Kill(entireProcessTree: true);
        Assert.Multiple(() =>
        {
            Assert.That(sessions, Is.EqualTo(1));
            Assert.That(view.Reports, Is.GreaterThanOrEqualTo(3), $"ffmpeg sent too few receiver reports ({egress.RtcpReceived} RTCP datagrams, {egress.ReportsMalformed} malformed)");
            Assert.That(view.LossRate, Is.InRange(0.08, 0.4), "fraction lost of the last report, with 20 % emulated loss");
            Assert.That(view.CumulativeLost, Is.GreaterThan(0));
            Assert.That(view.RttMs, Is.InRange(0.0, 500.0), "RTT from the echo of our sender report on loopback");
            Assert.That(view.BoundBps, Is.Not.Null.And.LessThan(3_500_000), "the loss-based bound sits below what we sent");
            Assert.That(merged.EstimatedBandwidthBps, Is.EqualTo(view.BoundBps!.Value), "the engine sees the receiver's bound, not our own estimate");
            Assert.That(merged.LossRate, Is.EqualTo(view.LossRate));
            Assert.That(merged.RttMs, Is.EqualTo(view.RttMs));
            Assert.That(egress.PacketsDroppedByEmulator, Is.GreaterThan(0));
        });
    }

    private RtpEgress OpenRtsp(int port, string query = "")
    {
        var egress = new RtpEgress(EgressTarget.Parse($"rtsp://127.0.0.1:{port}/aqs?pkt_size=1200{query}"), line =>
        {
            lock (_log)
            {
                _log.Add(line);
            }
        });
        egress.Start();
        return egress;
    }

}
