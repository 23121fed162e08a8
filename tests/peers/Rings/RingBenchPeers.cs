using System.Runtime.InteropServices;
using Aqs.Shared.Frames;
using Aqs.Shared.Rings;
using Aqs.Shared.Timing;

namespace Aqs.TestPeers.Rings;

/// <summary>Producer processes for the "rings" benchmark suite (tests/bench/Rings). Each closes its ring when done.</summary>
internal static class RingBenchPeers
{
    /// <summary><c>ring-bench-frames session=S ring=R width=W height=H frames=N [slots=4]</c>: fills yuv420p frames in place as fast as the consumer allows.</summary>
    [PeerRole("ring-bench-frames")]
    private static int Frames(string[] args)
    {
        var a = new PeerArgs(args);
        var layout = new FrameLayout((int)a.Int("width", 1920), (int)a.Int("height", 1080), PixelFormat.Yuv420p);
        var frames = a.Int("frames", 100);
        using var writer = FrameWriter.Create(a.Text("session"), a.Text("ring"), new RingOptions((int)a.Int("slots", 4), layout.FrameSize));
        for (long i = 0; i < frames; i++)
        {
            if (!writer.TryClaim(layout.FrameSize, TimeSpan.FromSeconds(30), out var slot))
            {
                Console.Error.WriteLine($"ring-bench-frames: no slot for frame {i} within 30 s");
                return 3;
            }
            slot.Header.SetLayout(layout);
            slot.Header.FrameId = i;
            FramePattern.Fill(slot.Payload, i);
            writer.Publish(ref slot);
        }
        writer.Close();
        return 0;
    }

    /// <summary>
    /// <c>ring-bench-wake session=S ring=R samples=N [interval-us=500]</c>: publishes one small frame
    /// every interval, stamping CaptureTimeNs just before Publish (the consumer is asleep by then).
    /// </summary>
    [PeerRole("ring-bench-wake")]
    private static int Wake(string[] args)
    {
        var a = new PeerArgs(args);
        var samples = a.Int("samples", 1000);
        var intervalNs = a.Int("interval-us", 500) * 1000;
        using var writer = FrameWriter.Create(a.Text("session"), a.Text("ring"), new RingOptions(8, 64));
        var next = MonotonicClock.NowNs;
        for (long i = 0; i < samples; i++)
        {
            next += intervalNs;
            while (MonotonicClock.NowNs < next)
            {
                var left = next - MonotonicClock.NowNs;
                if (left > 200_000)
                {
                    Thread.Sleep(TimeSpan.FromTicks((left - 150_000) / 100));
                }
                else
                {
                    Thread.SpinWait(50);
                }
            }
            if (!writer.TryClaim(64, TimeSpan.FromSeconds(30), out var slot))
            {
                return 3;
            }
            slot.Header.FrameId = i;
            slot.Header.CaptureTimeNs = MonotonicClock.NowNs;
            writer.Publish(ref slot);
        }
        writer.Close();
        return 0;
    }

    /// <summary>
    /// <c>ring-bench-msgs session=S ring=R messages=N [batch=252]</c>: 64-byte messages, a batch of
    /// them per slot; word 0 of message k is k, the other seven words k * 3.
    /// </summary>
    [PeerRole("ring-bench-msgs")]
    private static int Messages(string[] args)
    {
        var a = new PeerArgs(args);
        var messages = a.Int("messages", 1_000_000);
        var batch = (int)a.Int("batch", 252);
        using var writer = FrameWriter.Create(a.Text("session"), a.Text("ring"), new RingOptions(64, batch * 64));
        for (long k = 0; k < messages;)
        {
            var n = (int)Math.Min(batch, messages - k);
            if (!writer.TryClaim(n * 64, TimeSpan.FromSeconds(30), out var slot))
            {
                return 3;
            }
            var words = MemoryMarshal.Cast<byte, ulong>(slot.Payload);
            for (var m = 0; m < n; m++, k++)
            {
                var w = words.Slice(m * 8, 8);
                w[0] = (ulong)k;
                w[1] = w[2] = w[3] = w[4] = w[5] = w[6] = w[7] = (ulong)k * 3;
            }
            writer.Publish(ref slot);
        }
        writer.Close();
        return 0;
    }
}
