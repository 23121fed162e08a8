using System.Net;
using System.Net.Sockets;
using Aqs.Kernel.Network.Fec;
using Aqs.Kernel.Network.Tests.Wire;
using Aqs.Kernel.Network.Transport;
using Aqs.Kernel.Network.Wire;
using Aqs.Shared.Frames;
using Aqs.Shared.Rings;

namespace Aqs.Kernel.Network.Tests.Transport;

/// <summary>The receive side hands frames to the display in the order they were sent, even when an older one completes late.</summary>
public class ReceiveOrderTests : TransportTestSession
{
    private sealed class NoShards : IParityPolicy
    {
        public int ParityShards(int dataShards, bool keyframe) => 0;
    }

    private static byte[] Frame(int length, uint id)
    {
        var frame = new byte[FrameDescriptor.Length + length];
        new FrameDescriptor { Width = 64, Height = 64, Format = PixelFormat.Yuv420p, BitDepth = 8, DurationUs = 16_667, CaptureTimeNs = id }.Write(frame);
        new Random((int)id).NextBytes(frame.AsSpan(FrameDescriptor.Length));
        return frame;
    }

    /// <summary>A receive side on loopback publishing into an rx ring, and the display's reader of that ring.</summary>
    private sealed class Receiving : IDisposable
    {
        private readonly IErasureCoder _coder = ErasureCoder.Create();
        private readonly FrameWriter _rx;

        public Receiving(string session, long frameDeadlineUs)
        {
            _rx = FrameWriter.Create(session, "rx", new RingOptions(8, 1 << 16));
            Reader = FrameReader.Attach(session, "rx", ConsumerPolicy.Reliable, "display");
            Receiver = new ReceiverSide(WireTestStream.Key, WireTestStream.Session, requireEncryption: true, new IPEndPoint(IPAddress.Loopback, 0), _coder, _rx,
                new ReassemblerOptions { MaxFrameLength = 1 << 16, FrameDeadlineUs = frameDeadlineUs });
            Receiver.Start();
        }

        public FrameReader Reader { get; }
        public ReceiverSide Receiver { get; }

        public void Dispose()
        {
            Receiver.Dispose();
            Reader.Dispose();
            _rx.Dispose();
            _coder.Dispose();
        }
    }

    private static List<long> Drain(FrameReader reader, int count)
    {
        var ids = new List<long>();
        while (ids.Count < count && reader.TryRead(TimeSpan.FromSeconds(3), out var slot) == ReadStatus.Frame)
        {
            ids.Add(slot.Header.FrameId);
            reader.Release();
        }
        return ids;
    }

    [Test]
    [CancelAfter(20_000)]
    public void A_frame_completed_before_an_older_one_waits_for_it_so_the_display_gets_them_in_sending_order()
    {
        using var receiving = new Receiving(Session, frameDeadlineUs: 2_000_000);
        var (reader, receiver) = (receiving.Reader, receiving.Receiver);
        using var stream = new WireTestStream();
        var older = stream.Frame(Frame(3_000, 1), 1, keyframe: true, new NoShards());
        var newer = stream.Frame(Frame(500, 2), 2, keyframe: false, new NoShards());
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        // Frame 1 but its last shard (a retransmission or repair still on the way), then all of frame 2, then the rest of 1.
        foreach (var d in older.Take(older.Count - 1).Concat(newer))
        {
            socket.SendTo(d.Bytes, receiver.LocalEndpoint);
        }
        Thread.Sleep(200);
        Assert.That(reader.TryRead(TimeSpan.Zero, out _), Is.EqualTo(ReadStatus.Timeout), "frame 2 is held while frame 1 is incomplete");
        socket.SendTo(older[^1].Bytes, receiver.LocalEndpoint);
        Assert.Multiple(() =>
        {
            Assert.That(Drain(reader, 2), Is.EqualTo(new long[] { 1, 2 }));
            Assert.That(receiver.FramesHeldForOrder, Is.EqualTo(1));
        });
    }

    [Test]
    [CancelAfter(20_000)]
    public void A_frame_held_for_an_older_one_that_never_completes_goes_out_at_that_ones_deadline()
    {
        using var receiving = new Receiving(Session, frameDeadlineUs: 300_000);
        var (reader, receiver) = (receiving.Reader, receiving.Receiver);
        using var stream = new WireTestStream();
        var lost = stream.Frame(Frame(3_000, 1), 1, keyframe: true, new NoShards());
        var newer = stream.Frame(Frame(500, 2), 2, keyframe: false, new NoShards());
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        foreach (var d in lost.Take(1).Concat(newer))
        {
            socket.SendTo(d.Bytes, receiver.LocalEndpoint);
        }
        Assert.Multiple(() =>
        {
            Assert.That(Drain(reader, 1), Is.EqualTo(new long[] { 2 }), "frame 2 is published once frame 1 is given up");
            Assert.That(receiver.Reassembly.FramesLost, Is.EqualTo(1));
        });
    }
}
