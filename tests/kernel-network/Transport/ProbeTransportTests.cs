using System.Net;
using Aqs.Kernel.Network.Estimation;
using Aqs.Kernel.Network.Fec;
using Aqs.Kernel.Network.Transport;
using Aqs.Kernel.Network.Wire;
using Aqs.Shared.Frames;
using Aqs.Shared.Rings;

namespace Aqs.Kernel.Network.Tests.Transport;

public class ProbeTransportTests : TransportTestSession
{
    [Test]
    [CancelAfter(60_000)]
    public void Probe_padding_travels_sealed_over_udp_is_counted_and_dropped_and_yields_a_probe_result()
    {
        var key = DatagramSealer.NewKey();
        var sessionId = SessionKeys.IdOf(Session);
        using var coder = ErasureCoder.Create();
        using var rx = FrameWriter.Create(Session, "rx", new RingOptions(64, 1 << 20));
        using var reader = FrameReader.Attach(Session, "rx", ConsumerPolicy.Reliable, "test");
        var frames = Enumerable.Range(0, 300).Select(i => MakeFrame(i, 3_000 + i * 101)).ToList();
        var framesSent = 0;
        var received = new List<(long Id, byte[] Data)>();
        long padding, probeResults, clusters, paddingReceived, accepted, sent;
        DropCounters drops;
        // Encrypted, so padding goes through the same AEAD, session and replay checks as media.
        using (var receiver = new ReceiverSide(key, sessionId, requireEncryption: true, new IPEndPoint(IPAddress.Loopback, 0), coder, rx,
                   new ReassemblerOptions { MaxFrameLength = 1 << 20 }))
        {
            receiver.Start();
            using (var sender = new SenderSide(key, sessionId, encrypt: true, receiver.LocalEndpoint, ErasureCoder.Create(), new AdaptiveParity(new NoParity()), emulator: null,
                       // Periodic clusters every 200 ms: a cluster whose arrivals a busy machine bunched together is
                       // rightly rejected as a measurement, and a later one still gets its chance within the test.
                       new SenderOptions { Probing = true, Bwe = new BweSettings { ProbeIntervalUs = 200_000 } }))
            {
                // At least 60 frames; more (up to 3 s) until a cluster's feedback has given a measurement.
                for (var i = 0; i < frames.Count && (i < 60 || sender.ProbeResults == 0); i++, framesSent++)
                {
                    Assert.That(sender.SendFrame(frames[i], (uint)i, (byte)VideoCodec.H264, keyframe: i == 0), Is.True);
                    Thread.Sleep(10);
                    while (reader.TryRead(TimeSpan.Zero, out var slot) == ReadStatus.Frame)
                    {
                        received.Add((slot.Header.FrameId, slot.Payload.ToArray()));
                        reader.Release();
                    }
                }
                receiver.WaitQuiet(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5));
                Thread.Sleep(150); // a last feedback report for the last cluster
                padding = sender.PaddingPacketsSent;
                clusters = sender.ProbeClustersSent;
                probeResults = sender.ProbeResults;
                sent = sender.PacketsSent;
            }
            while (reader.TryRead(TimeSpan.FromMilliseconds(50), out var slot) == ReadStatus.Frame)
            {
                received.Add((slot.Header.FrameId, slot.Payload.ToArray()));
                reader.Release();
            }
            paddingReceived = receiver.PaddingReceived;
            accepted = receiver.DatagramsAccepted;
            drops = receiver.DatagramDrops;
        }
        TestContext.Out.WriteLine($"{clusters} clusters, {padding} padding datagrams sent, {paddingReceived} received, {probeResults} probe results; {accepted}/{sent} datagrams accepted, drops {drops}");
        Assert.That(clusters, Is.GreaterThanOrEqualTo(2), "start-up probes at least");
        Assert.That(paddingReceived, Is.EqualTo(padding), "loopback loses nothing: every padding datagram is accepted and counted");
        Assert.That(drops.Total, Is.Zero, "padding passes authentication and replay checks");
        Assert.That(accepted, Is.EqualTo(sent));
        Assert.That(probeResults, Is.GreaterThan(0), "feedback on the padding gives a capacity measurement");
        Assert.That(received.Select(r => r.Id), Is.EqualTo(Enumerable.Range(0, framesSent).Select(i => (long)i)), "padding never disturbs frames");
        foreach (var (id, data) in received)
        {
            Assert.That(data, Is.EqualTo(frames[(int)id]));
        }
    }
}
