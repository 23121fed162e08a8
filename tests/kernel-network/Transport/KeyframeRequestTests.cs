using System.Diagnostics;
using System.Net;
using Aqs.Kernel.Network.Fec;
using Aqs.Kernel.Network.FecPolicy;
using Aqs.Kernel.Network.Transport;
using Aqs.Kernel.Network.Wire;
using Aqs.Shared.Frames;
using Aqs.Shared.Rings;

namespace Aqs.Kernel.Network.Tests.Transport;

public class KeyframeRequestTests : TransportTestSession
{
    [Test]
    [CancelAfter(30_000)]
    public void A_frame_dropped_behind_a_stuck_display_makes_the_receiver_ask_the_sender_for_a_keyframe()
    {
        var key = DatagramSealer.NewKey();
        var sessionId = SessionKeys.IdOf(Session);
        using var coder = ErasureCoder.Create();
        // Four slots and a reader that never releases: the fifth frame finds the rx ring full.
        using var rx = FrameWriter.Create(Session, "rx", new RingOptions(4, 1 << 16));
        using var stuck = FrameReader.Attach(Session, "rx", ConsumerPolicy.Reliable, "display");
        using var receiver = new ReceiverSide(key, sessionId, requireEncryption: false, new IPEndPoint(IPAddress.Loopback, 0), coder, rx,
            new ReassemblerOptions { MaxFrameLength = 1 << 16 });
        receiver.Start();
        using var sender = new SenderSide(key, sessionId, encrypt: false, receiver.LocalEndpoint, ErasureCoder.Create(),
            new AdaptiveParity(new NoParity()), emulator: null);

        var requested = false;
        var clock = Stopwatch.StartNew();
        for (var i = 0; !requested && clock.Elapsed < TimeSpan.FromSeconds(10); i++)
        {
            if (i < 12)
            {
                Assert.That(sender.SendFrame(MakeFrame(i, 2_000), (uint)i, (byte)VideoCodec.H264, keyframe: i == 0), Is.True);
            }
            Thread.Sleep(20);
            requested = sender.TakeKeyframeRequest();
        }

        Assert.That(receiver.FramesDroppedRxFull, Is.GreaterThan(0), "frames beyond the four slots were dropped");
        Assert.That(receiver.KeyframeRequests, Is.GreaterThan(0), "the receiver asked for a keyframe");
        Assert.That(requested, Is.True, "the request crossed the socket to the sender");
    }
}
