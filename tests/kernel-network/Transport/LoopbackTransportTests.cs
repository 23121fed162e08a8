using System.Net;
using Aqs.Kernel.Network.Emulation;
using Aqs.Kernel.Network.Fec;
using Aqs.Kernel.Network.FecPolicy;
using Aqs.Kernel.Network.Transport;
using Aqs.Kernel.Network.Wire;
using Aqs.Shared.Frames;
using Aqs.Shared.Rings;

namespace Aqs.Kernel.Network.Tests.Transport;

public class LoopbackTransportTests
{
    private string _session = "";

    [SetUp]
    public void NewSession() => _session = "nt" + Guid.NewGuid().ToString("N")[..8];

    [TearDown]
    public void RemoveLeftovers()
    {
        foreach (var file in Directory.EnumerateFiles("/dev/shm", $"*aqs.{_session}.*"))
        {
            File.Delete(file);
        }
    }

    [TestCase(null)]
    [TestCase("loss:5%,delay:5ms,jitter:2ms")]
    [CancelAfter(60_000)]
    public void Frames_sent_over_real_udp_arrive_whole_in_the_rx_ring(string? impairment)
    {
        var key = DatagramSealer.NewKey();
        var sessionId = SessionKeys.IdOf(_session);
        using var coder = ErasureCoder.Create();
        using var rx = FrameWriter.Create(_session, "rx", new RingOptions(64, 1 << 20));
        using var reader = FrameReader.Attach(_session, "rx", ConsumerPolicy.Reliable, "test");
        var frames = Enumerable.Range(0, 40).Select(i => MakeFrame(i, 2_000 + i * 997)).ToList();
        var emulator = impairment is null ? null : new NetworkEmulator(ImpairmentSpec.Parse(impairment));
        // Generous parity so that 5 % random loss is recovered, which is what this test is about.
        var parity = new AdaptiveParity(new ResidualLossFecPolicy());
        parity.State = new LinkState(0.05, 1, 2, 10);

        var received = new List<(long Id, byte[] Data, bool Key, FrameLayout Layout, long CaptureNs, long PtsNs, long DurationNs, bool RungSwitch)>();
        using (var receiver = new ReceiverSide(key, sessionId, requireEncryption: false, new IPEndPoint(IPAddress.Loopback, 0), coder, rx, new ReassemblerOptions { MaxFrameLength = 1 << 20 }))
        {
            receiver.Start();
            using var sender = new SenderSide(key, sessionId, encrypt: false, receiver.LocalEndpoint, ErasureCoder.Create(), parity, emulator);
            for (var i = 0; i < frames.Count; i++)
            {
                Assert.That(sender.SendFrame(frames[i], (uint)i, (byte)VideoCodec.H264, keyframe: i % 10 == 0, Rung(i)), Is.True);
                Thread.Sleep(5);
            }
            sender.Drain(TimeSpan.FromSeconds(5));
            receiver.WaitQuiet(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5));
            while (reader.TryRead(TimeSpan.FromMilliseconds(50), out var slot) == ReadStatus.Frame)
            {
                ref var h = ref slot.Header;
                received.Add((h.FrameId, slot.Payload[..h.PayloadLength].ToArray(), (h.Flags & SlotFlags.Keyframe) != 0, h.Layout,
                    h.CaptureTimeNs, h.PtsNs, h.DurationNs, (h.Flags & SlotFlags.RungSwitch) != 0));
                Assert.That(slot.Header.Codec, Is.EqualTo(VideoCodec.H264));
                reader.Release();
            }
            TestContext.Out.WriteLine($"received {received.Count}/{frames.Count}; {receiver.Reassembly}; drops {receiver.DatagramDrops}");
        }

        var expected = impairment is null ? frames.Count : frames.Count * 9 / 10;
        Assert.That(received, Has.Count.GreaterThanOrEqualTo(expected));
        foreach (var (id, data, isKey, layout, captureNs, ptsNs, durationNs, rungSwitch) in received)
        {
            Assert.That(data, Is.EqualTo(frames[(int)id]), $"frame {id} arrives byte for byte");
            Assert.That(isKey, Is.EqualTo(id % 10 == 0));
            var sent = Rung((int)id);
            Assert.That((layout, captureNs, ptsNs, durationNs, rungSwitch),
                Is.EqualTo((new FrameLayout(sent.Width, sent.Height, sent.Format), sent.CaptureTimeNs, sent.PtsNs, sent.DurationUs * 1000, id == 20)),
                $"frame {id} carries its rung and times across the wire");
        }
    }

    /// <summary>Frames 0..19 at 640x360 8-bit 60 fps, from 20 on at 1280x720 10-bit 30 fps.</summary>
    private static FrameDescriptor Rung(int index) => index < 20
        ? new FrameDescriptor { Width = 640, Height = 360, Format = PixelFormat.Yuv420p, BitDepth = 8, DurationUs = 16_667, CaptureTimeNs = 1_000_000L * index + 7, PtsNs = 16_666_667L * index }
        : new FrameDescriptor { Width = 1280, Height = 720, Format = PixelFormat.Yuv420p10, BitDepth = 10, DurationUs = 33_333, CaptureTimeNs = 1_000_000L * index + 7, PtsNs = 16_666_667L * index,
            Flags = index == 20 ? FrameDescriptorFlags.RungSwitch : FrameDescriptorFlags.None };

    private static byte[] MakeFrame(int index, int length)
    {
        var data = new byte[length];
        new Random(index).NextBytes(data);
        return data;
    }
}
