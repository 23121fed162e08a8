using System.Globalization;
using System.Net;
using Aqs.Kernel.Network;
using Aqs.Kernel.Network.Emulation;
using Aqs.Kernel.Network.Fec;
using Aqs.Kernel.Network.FecPolicy;
using Aqs.Kernel.Network.Transport;
using Aqs.Kernel.Network.Wire;
using Aqs.Shared.Rings;
using Aqs.Shared.Timing;
using Aqs.TestPeers.Rings;

namespace Aqs.TestPeers.Network;

/// <summary>
/// Kernel A's two sides as separate processes (possibly in separate network namespaces) for the two-host
/// and traffic-control tests. Frames carry <c>Random(frameId)</c> bytes so the receiver can check them.
/// Output is one <c>key=value ...</c> line per event on stdout.
/// </summary>
internal static class NetworkPeers
{
    /// <summary>
    /// <c>net-receive session=S key=FILE listen=PORT [seconds=10] [frames=N] [idle-ms=M] [encrypt=0]</c>: receives until
    /// N frames arrived, none for M ms after the first, or the time is up; prints <c>listening port=P</c>, then <c>received frames=F verified=V ...</c>.
    /// </summary>
    [PeerRole("net-receive")]
    private static int Receive(string[] args)
    {
        var a = new PeerArgs(args);
        var session = a.Text("session");
        var key = SessionKeys.Load(a.Text("key"));
        var wanted = a.Int("frames", long.MaxValue);
        var deadlineNs = MonotonicClock.NowNs + a.Int("seconds", 10) * 1_000_000_000L;
        var idleNs = a.Int("idle-ms", long.MaxValue / 2_000_000) * 1_000_000L;
        var lastFrameNs = long.MaxValue / 2;
        using var coder = ErasureCoder.Create();
        using var rx = FrameWriter.Create(session, "netrx", new RingOptions(64, 1 << 20));
        using var reader = FrameReader.Attach(session, "netrx", ConsumerPolicy.Reliable, "peer");
        using var receiver = new ReceiverSide(key, SessionKeys.IdOf(session), a.Int("encrypt", 0) != 0,
            new IPEndPoint(IPAddress.Any, (int)a.Int("listen", 0)), coder, rx, new ReassemblerOptions { MaxFrameLength = 1 << 20 });
        receiver.Start();
        Console.WriteLine($"listening port={receiver.LocalEndpoint.Port}");
        Console.Out.Flush();
        long frames = 0, verified = 0;
        while (frames < wanted && MonotonicClock.NowNs < deadlineNs && MonotonicClock.NowNs - lastFrameNs < idleNs)
        {
            if (reader.TryRead(TimeSpan.FromMilliseconds(50), out var slot) != ReadStatus.Frame)
            {
                continue;
            }
            frames++;
            lastFrameNs = MonotonicClock.NowNs;
            var expected = FrameBytes((int)slot.Header.FrameId, slot.Header.PayloadLength);
            if (slot.Payload[..slot.Header.PayloadLength].SequenceEqual(expected))
            {
                verified++;
            }
            reader.Release();
        }
        var drops = receiver.DatagramDrops;
        Console.WriteLine($"received frames={frames} verified={verified} lost={receiver.Reassembly.FramesLost} recovered={receiver.Reassembly.FramesRecovered} " +
            $"accepted={receiver.DatagramsAccepted} dropped={drops.Total}");
        return 0;
    }

    /// <summary>
    /// <c>net-send session=S key=FILE peer=IP:PORT [seconds=5] [fps=30] [demand-bps=8000000] [fec=off|adaptive] [net=SPEC] [encrypt=1]</c>:
    /// sends frames like an encoder that would like <c>demand-bps</c> but keeps to the bandwidth estimate; prints
    /// <c>estimate t_ms=.. bps=..</c> every 250 ms and <c>sent ...</c> at the end. <c>net</c> adds our impairment
    /// emulator in front of the real link (e.g. random loss where the kernel has no netem).
    /// </summary>
    [PeerRole("net-send")]
    private static int Send(string[] args)
    {
        var a = new PeerArgs(args);
        var session = a.Text("session");
        var key = SessionKeys.Load(a.Text("key"));
        var peer = PeerAddress.Parse(a.Text("peer"));
        var seconds = a.Int("seconds", 5);
        var fps = a.Int("fps", 30);
        var demand = a.Int("demand-bps", 8_000_000);
        IFecPolicy policy = a.Text("fec", "off") == "adaptive" ? new ResidualLossFecPolicy() : new NoFec();
        var net = a.Text("net", "");
        var emulator = net.Length == 0 ? null : new NetworkEmulator(ImpairmentSpec.Parse(net));
        using var sender = new SenderSide(key, SessionKeys.IdOf(session), a.Int("encrypt", 1) != 0, peer, ErasureCoder.Create(),
            new AdaptiveParity(policy), emulator);
        var startNs = MonotonicClock.NowNs;
        var intervalNs = 1_000_000_000L / fps;
        var nextReportNs = startNs;
        for (var frame = 0; MonotonicClock.NowNs - startNs < seconds * 1_000_000_000L; frame++)
        {
            var dueNs = startNs + frame * intervalNs;
            var waitNs = dueNs - MonotonicClock.NowNs;
            if (waitNs > 0)
            {
                Thread.Sleep(TimeSpan.FromTicks(waitNs / 100));
            }
            // The estimate covers everything sent: leave room for the parity the FEC policy adds.
            var estimate = sender.Estimate.EstimateBps;
            var media = Math.Max(1, sender.PacketsSent - sender.ParityPacketsSent);
            var rate = Math.Min(demand, estimate / (1 + (double)sender.ParityPacketsSent / media));
            var bytes = (int)Math.Clamp(rate / 8 / fps, 200, 1 << 20);
            sender.SendFrame(FrameBytes(frame, bytes), (uint)frame, 1, keyframe: frame % 60 == 0);
            if (MonotonicClock.NowNs >= nextReportNs)
            {
                nextReportNs += 250_000_000;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"estimate t_ms={(MonotonicClock.NowNs - startNs) / 1_000_000} bps={estimate:F0} rtt_ms={sender.Estimate.Link.RttMs:F1} loss={sender.Estimate.Link.LossRate:F3}"));
            }
        }
        sender.Drain(TimeSpan.FromSeconds(1));
        Thread.Sleep(300);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sent frames={sender.FramesSent} packets={sender.PacketsSent} retransmissions={sender.Retransmissions} parity={sender.ParityPacketsSent} emulator_dropped={sender.PacketsDroppedByEmulator} feedback={sender.FeedbackReports} estimate={sender.Estimate.EstimateBps:F0}"));
        return 0;
    }

    private static byte[] FrameBytes(int frameId, int length)
    {
        var data = new byte[length];
        new Random(frameId).NextBytes(data);
        return data;
    }

    private sealed class NoFec : IFecPolicy
    {
        public int ParityFor(int dataShards, bool keyframe, LinkState state) => 0;
    }
}
