using System.Diagnostics;
using System.Net.Sockets;
using Aqs.Kernel.Network.Egress;
using Aqs.Shared.Contracts;
using Aqs.Shared.Frames;
using Aqs.Shared.Rings;

namespace Aqs.Kernel.Network.Tests.Egress;

/// <summary>The real kernel-network process with <c>--egress</c>: an enc ring we fill, a standard player, the control plane.</summary>
[NonParallelizable]
public class NetworkKernelEgressTests
{
    [Test]
    [CancelAfter(90_000)]
    public void Kernel_A_asks_for_a_keyframe_when_an_rtsp_player_joins_and_publishes_the_loss_it_reports()
    {
        var session = "t" + Guid.NewGuid().ToString("N")[..8];
        var port = EgressTestStream.FreeUdpPort();
        using var stream = new EgressTestStream(bitrateBps: 3_000_000, noisy: true);
        using var enc = FrameWriter.Create(session, "enc", new RingOptions(16, 1 << 20));
        using var control = ControlPlane.Start(session, KernelRole.Encode);
        NetworkStats? lossy = null;
        var keyframeRequests = new List<string>();
        control.Subscribe<NetworkStats>(s =>
        {
            if (s.LossRate > 0.08)
            {
                lossy = s;
            }
        });
        control.Subscribe<KeyframeRequest>(r => keyframeRequests.Add(r.Reason));
        var statsSeen = 0;
        control.Subscribe<NetworkStats>(_ => statsSeen++);
        using var kernel = Start("--session", session, "--attach-timeout", "500ms", "--egress", $"rtsp://127.0.0.1:{port}/aqs?net=loss:20%25;seed:7");
        Assert.That(enc.WaitForConsumers(1, TimeSpan.FromSeconds(20), CancellationToken.None), Is.True, "kernel-network attached to the enc ring");
        WaitForTcp(port, kernel);
        Process? player = null;
        var playerSaid = new List<string>();
        try
        {
            var clock = Stopwatch.StartNew();
            var honoured = 0;
            // About 8 s on a quiet machine; the window is wide for a machine shared with other builds.
            for (var i = 0; (lossy is null || keyframeRequests.Count == 0) && clock.Elapsed < TimeSpan.FromSeconds(45); i++)
            {
                control.Poll(TimeSpan.Zero);
                // Honour each request with one keyframe, as the encoder does.
                var key = i == 0 || keyframeRequests.Count > honoured;
                honoured = keyframeRequests.Count;
                Publish(enc, stream.Next(key), i);
                // A second into the stream: the egress has held its first keyframe for longer than a fresh one takes.
                if (i == EgressTestStream.Fps)
                {
                    player = EgressTestStream.Start("ffmpeg", "-v", "error", "-rtsp_transport", "udp", "-i", $"rtsp://127.0.0.1:{port}/aqs", "-f", "null", "-");
                    // Drained as it comes: the decoder's complaints about lost packets would otherwise fill the pipe and stall the player.
                    player.ErrorDataReceived += (_, e) =>
                    {
                        lock (playerSaid)
                        {
                            if (e.Data is not null && playerSaid.Count < 20)
                            {
                                playerSaid.Add(e.Data);
                            }
                        }
                    };
                    player.BeginErrorReadLine();
                }
                Thread.Sleep(1000 / EgressTestStream.Fps);
            }
        }
        finally
        {
            player?.Kill(entireProcessTree: true);
            player?.Dispose();
            enc.Close();
        }
        var output = kernel.StandardOutput.ReadToEnd();
        var errors = kernel.StandardError.ReadToEnd();
        Assert.That(kernel.WaitForExit(TimeSpan.FromSeconds(20)), Is.True, "kernel-network ends at the end of the enc ring");
        var summary = output.Split('\n').FirstOrDefault(l => l.StartsWith("AQS-SUMMARY ", StringComparison.Ordinal)) ?? "";
        Assert.Multiple(() =>
        {
            Assert.That(kernel.ExitCode, Is.Zero, errors);
            Assert.That(keyframeRequests, Does.Contain("a standard receiver needs a keyframe"), $"{statsSeen} NetworkStats seen; kernel said: {errors}; player said: {string.Join(" | ", playerSaid)}");
            Assert.That(lossy, Is.Not.Null, "NetworkStats carried the RTSP player's loss");
            Assert.That(lossy?.EstimatedBandwidthBps, Is.LessThan(3_500_000), "the estimate the engine reads fell below what we sent");
            Assert.That(lossy?.RttMs, Is.InRange(0.0, 500.0));
            Assert.That(summary, Does.Contain("\"egress_0_target\":\"rtsp://127.0.0.1:" + port + "/aqs\"").And.Contain("\"egress_0_rtsp_sessions\":1"));
        });
    }

    private static void Publish(FrameWriter enc, EgressFrame frame, long id)
    {
        try
        {
            Assert.That(enc.TryClaim(frame.Length, TimeSpan.FromSeconds(5), out var slot), Is.True, "kernel-network keeps reading the enc ring");
            frame.Data.CopyTo(slot.Payload);
            ref var h = ref slot.Header;
            h.FrameId = id;
            h.PtsNs = frame.PtsNs;
            h.DurationNs = frame.DurationNs;
            h.CaptureTimeNs = Aqs.Shared.Timing.MonotonicClock.NowNs;
            h.Width = frame.Width;
            h.Height = frame.Height;
            h.Format = PixelFormat.Yuv420p;
            h.BitDepth = 8;
            h.Codec = frame.Codec;
            h.Flags = frame.Keyframe ? SlotFlags.Keyframe : SlotFlags.None;
            enc.Publish(ref slot);
        }
        finally
        {
            frame.Return();
        }
    }

    private static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(TestContext.CurrentContext.TestDirectory, "kernel-network.dll"));
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        return Process.Start(info)!;
    }

    private static void WaitForTcp(int port, Process kernel)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20) && !kernel.HasExited)
        {
            try
            {
                using var probe = new TcpClient("127.0.0.1", port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        Assert.Fail($"the RTSP server never listened on {port}");
    }
}
