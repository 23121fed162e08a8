using System.Net;
using Aqs.Kernel.Network.Emulation;
using Aqs.Kernel.Network.Fec;
using Aqs.Kernel.Network.Transport;
using Aqs.Kernel.Network.Wire;
using Aqs.Shared.Frames;
using Aqs.Shared.Rings;

namespace Aqs.Kernel.Network.Tests.Transport;

public class RetransmissionTests : TransportTestSession
{
    private const int Frames = 100;

    [Test]
    [CancelAfter(60_000)]
    public void Nacked_datagrams_are_resent_and_recover_frames_that_random_loss_would_lose()
    {
        var without = Run(retransmit: false, "off");
        var with = Run(retransmit: true, "on");

        // 5 datagrams per frame at 10 % loss: about 59 % of frames whole without help; one resend round
        // takes the datagram loss to about 1 %, so about 95 %.
        Assert.That(without.Retransmissions, Is.Zero);
        Assert.That(with.Retransmissions, Is.GreaterThan(0));
        Assert.That(without.Received, Is.LessThan(Frames * 80 / 100), "without retransmission random loss loses frames");
        Assert.That(with.Received, Is.GreaterThanOrEqualTo(Frames * 90 / 100), "NACKs recover most of them");
        Assert.That(with.Received - without.Received, Is.GreaterThanOrEqualTo((Frames - without.Received) / 2));
    }

    private (int Received, long Retransmissions) Run(bool retransmit, string label)
    {
        var ringName = "rx" + label;
        var key = DatagramSealer.NewKey();
        var sessionId = SessionKeys.IdOf(Session);
        using var coder = ErasureCoder.Create();
        using var rx = FrameWriter.Create(Session, ringName, new RingOptions(128, 1 << 16));
        using var reader = FrameReader.Attach(Session, ringName, ConsumerPolicy.Reliable, "test");
        var emulator = new NetworkEmulator(ImpairmentSpec.Parse("loss:10%,delay:5ms"));
        var frames = Enumerable.Range(0, Frames).Select(i => MakeFrame(i, 5 * 1200 - 100)).ToList();
        var received = 0;
        long retransmissions;
        using (var receiver = new ReceiverSide(key, sessionId, requireEncryption: false, new IPEndPoint(IPAddress.Loopback, 0), coder, rx,
                   new ReassemblerOptions { MaxFrameLength = 1 << 16, FrameDeadlineUs = 300_000 }))
        {
            receiver.Start();
            using var sender = new SenderSide(key, sessionId, encrypt: false, receiver.LocalEndpoint, ErasureCoder.Create(),
                new AdaptiveParity(new NoParity()), emulator, new SenderOptions { Retransmit = retransmit, FrameDeadlineUs = 300_000 });
            for (var i = 0; i < frames.Count; i++)
            {
                sender.SendFrame(frames[i], (uint)i, (byte)VideoCodec.H264, keyframe: false);
                Thread.Sleep(10);
            }
            // Let the last feedback round and its resends happen.
            Thread.Sleep(200);
            sender.Drain(TimeSpan.FromSeconds(2));
            receiver.WaitQuiet(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(3));
            while (reader.TryRead(TimeSpan.FromMilliseconds(50), out var slot) == ReadStatus.Frame)
            {
                Assert.That(slot.Payload.ToArray(), Is.EqualTo(frames[(int)slot.Header.FrameId]), "a frame arrives byte for byte");
                received++;
                reader.Release();
            }
            retransmissions = sender.Retransmissions;
            TestContext.Out.WriteLine($"retransmission {label}: {received}/{Frames} frames, {retransmissions} resent, {sender.NacksDeclined} NACKs declined, " +
                $"{sender.PacketsDroppedByEmulator} of {sender.PacketsSent} datagrams dropped by the emulator; {receiver.Reassembly}");
        }
        return (received, retransmissions);
    }
}
