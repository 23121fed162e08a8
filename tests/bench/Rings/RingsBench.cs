using System.Diagnostics;
using System.Runtime.InteropServices;
using Aqs.Bench.Harness;
using Aqs.Shared.Frames;
using Aqs.Shared.Rings;
using Aqs.Shared.Timing;
using Aqs.TestPeers.Rings;
using HdrHistogram;

namespace Aqs.Bench.Rings;

/// <summary>
/// The shared-memory frame ring across processes: frame hand-over against the same work on a
/// private buffer, wake-up latency against a bare POSIX semaphore between threads, and 64-byte
/// messages against memcpy of the same bytes. The producer is a tests/peers process; this
/// process is the consumer.
/// </summary>
public sealed class RingsBench : IBenchSuite
{
    public string Name => "rings";

    public string Description => "shared-memory ring: frame hand-over, wake-up latency, 64 B messages (cross-process)";

    public int Run(BenchReport report, BenchOptions options)
    {
        var session = "bench" + Guid.NewGuid().ToString("N")[..10];
        report.Note($"Load average when the suite started: {LoadAverage()} on {Environment.ProcessorCount} cores " +
                    "(cross-process figures depend on both processes getting a core at once; a busy machine inflates wake-ups).");
        try
        {
            FrameHandOver(report, options, session);
            WakeUpLatency(report, options, session);
            SmallMessages(report, options, session);
            return 0;
        }
        finally
        {
            foreach (var f in RingNames.FilesOf(session))
            {
                File.Delete(f);
            }
        }
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static void FrameHandOver(BenchReport report, BenchOptions options, string session)
    {
        report.Section("Frame hand-over (yuv420p 8-bit)",
            "Producer process fills each slot in place (pattern fill), this process checksums it in place. " +
            "Baseline: the same fill + checksum on one private buffer in one thread. Ratio = ring fps / baseline fps (goal >= 0.9). " +
            "The ring overlaps fill and checksum on two cores, the baseline runs them one after the other. " +
            "Control: the same baseline rotating over as many private buffers as the ring has slots (4), so that it touches " +
            "as much memory as the ring does. Two-thread control: one thread fills, another checksums, over 4 private buffers " +
            "handed over by spinning on volatile flags (no shared memory, no semaphores): what moving freshly written frames " +
            "between two cores costs by itself, so the ratio to it is the ring's own overhead.");
        report.Table("frame", "frames", "baseline fps", "control fps (4 buffers)", "two-thread control fps", "ring fps", "ring GB/s", "ratio", "ratio to two-thread control", "goal");
        foreach (var (w, h, full) in new[] { (1920, 1080, 600), (3840, 2160, 200) })
        {
            var layout = new FrameLayout(w, h, PixelFormat.Yuv420p);
            var frames = options.Quick ? full / 10 : full;
            var warm = Math.Max(2, frames / 10);
            var baseline = BaselineFillChecksum(layout.FrameSize, frames, warm, buffers: 1);
            var control = BaselineFillChecksum(layout.FrameSize, frames, warm, buffers: 4);
            var twoThreads = TwoThreadFillChecksum(layout.FrameSize, frames, warm, buffers: 4);
            var ring = RingFillChecksum(session, $"frames{w}", layout, frames, warm);
            var ratio = ring / baseline;
            report.Row($"{w}x{h}", frames, baseline, control, twoThreads, ring, ring * layout.FrameSize / 1e9, ratio, ring / twoThreads, ratio >= 0.9 ? "met" : "missed");
        }
    }

    private static double BaselineFillChecksum(int frameSize, int frames, int warm, int buffers)
    {
        var pool = Enumerable.Range(0, buffers).Select(_ => GC.AllocateUninitializedArray<byte>(frameSize, pinned: true)).ToArray();
        ulong sink = 0;
        var clock = new Stopwatch();
        for (var i = 0; i < frames; i++)
        {
            if (i == warm)
            {
                clock.Start();
            }
            var buffer = pool[i % buffers];
            FramePattern.Fill(buffer, i);
            sink += PayloadChecksum.Sum(buffer);
        }
        clock.Stop();
        GC.KeepAlive(sink);
        return (frames - warm) / clock.Elapsed.TotalSeconds;
    }

    private static double TwoThreadFillChecksum(int frameSize, int frames, int warm, int buffers)
    {
        var pool = Enumerable.Range(0, buffers).Select(_ => GC.AllocateUninitializedArray<byte>(frameSize, pinned: true)).ToArray();
        var full = new int[buffers];
        var producer = new Thread(() =>
        {
            for (var i = 0; i < frames; i++)
            {
                var b = i % buffers;
                while (Volatile.Read(ref full[b]) != 0)
                {
                    Thread.SpinWait(16);
                }
                FramePattern.Fill(pool[b], i);
                Volatile.Write(ref full[b], 1);
            }
        });
        ulong sink = 0;
        var clock = new Stopwatch();
        producer.Start();
        for (var i = 0; i < frames; i++)
        {
            var b = i % buffers;
            while (Volatile.Read(ref full[b]) == 0)
            {
                Thread.SpinWait(16);
            }
            if (i == warm)
            {
                clock.Start();
            }
            sink += PayloadChecksum.Sum(pool[b]);
            Volatile.Write(ref full[b], 0);
        }
        clock.Stop();
        producer.Join();
        GC.KeepAlive(sink);
        return (frames - warm) / clock.Elapsed.TotalSeconds;
    }

    private static double RingFillChecksum(string session, string ring, FrameLayout layout, int frames, int warm)
    {
        using var producer = Peer.Start("ring-bench-frames", $"session={session}", $"ring={ring}", $"width={layout.Width}", $"height={layout.Height}", $"frames={frames}", "slots=4");
        using var reader = FrameReader.Attach(session, ring, ConsumerPolicy.Reliable, "bench", TimeSpan.FromSeconds(60));
        ulong sink = 0;
        long start = 0, end = 0, received = 0;
        while (reader.TryRead(TimeSpan.FromSeconds(60), out var slot) == ReadStatus.Frame)
        {
            sink += PayloadChecksum.Sum(slot.Payload);
            reader.Release();
            received++;
            end = MonotonicClock.NowNs;
            if (received == warm)
            {
                start = end;
            }
        }
        producer.Finish();
        GC.KeepAlive(sink);
        if (received != frames)
        {
            throw new InvalidOperationException($"ring {ring}: received {received} of {frames} frames");
        }
        return (received - warm) / ((end - start) / 1e9);
    }

    private static void WakeUpLatency(BenchReport report, BenchOptions options, string session)
    {
        var samples = options.Quick ? 400 : 6000;
        const int intervalUs = 500;
        report.Section("Wake-up latency",
            $"Producer process stamps CaptureTimeNs then publishes one frame every {intervalUs} µs; this process, asleep in TryRead " +
            "(past its 20 µs spin), records now - stamp when TryRead returns. Baseline: sem_post -> sem_timedwait between two threads " +
            "of one process on a bare POSIX semaphore, same pacing. Goal: ring p99 <= 100 µs.");
        var ring = RingWake(session, samples, intervalUs);
        var bare = BareSemaphoreWake(session, samples, intervalUs);
        report.Table("path", "samples", "p50 µs", "p99 µs", "p99.9 µs", "max µs");
        report.Row("ring, cross-process", ring.TotalCount, Us(ring, 50), Us(ring, 99), Us(ring, 99.9), ring.GetMaxValue() / 1000.0);
        report.Row("bare semaphore, threads", bare.TotalCount, Us(bare, 50), Us(bare, 99), Us(bare, 99.9), bare.GetMaxValue() / 1000.0);
        report.Note($"Ratio ring/baseline: p50 {Us(ring, 50) / Us(bare, 50):F2}, p99 {Us(ring, 99) / Us(bare, 99):F2}. " +
                    $"Goal p99 <= 100 µs: {(Us(ring, 99) <= 100 ? "met" : "missed")}.");
    }

    private static double Us(HistogramBase h, double percentile) => h.GetValueAtPercentile(percentile) / 1000.0;

    private static LongHistogram RingWake(string session, int samples, int intervalUs)
    {
        var histogram = new LongHistogram(10_000_000_000L, 3);
        using var producer = Peer.Start("ring-bench-wake", $"session={session}", "ring=wake", $"samples={samples}", $"interval-us={intervalUs}");
        using var reader = FrameReader.Attach(session, "wake", ConsumerPolicy.Reliable, "bench", TimeSpan.FromSeconds(60));
        var warm = samples / 10;
        long n = 0;
        while (reader.TryRead(TimeSpan.FromSeconds(60), out var slot) == ReadStatus.Frame)
        {
            var latency = MonotonicClock.NowNs - slot.Header.CaptureTimeNs;
            reader.Release();
            if (n++ >= warm)
            {
                histogram.RecordValue(Math.Max(0, latency));
            }
        }
        producer.Finish();
        return histogram;
    }

    private static LongHistogram BareSemaphoreWake(string session, int samples, int intervalUs)
    {
        var histogram = new LongHistogram(10_000_000_000L, 3);
        var name = $"/aqs.{session}.wakebase";
        using var sem = PosixSemaphore.OpenOrCreate(name);
        PosixSemaphore.Unlink(name);
        long stamp = 0;
        var warm = samples / 10;
        var waiter = new Thread(() =>
        {
            for (var i = 0; i < samples; i++)
            {
                if (!sem.Wait(10_000_000_000L))
                {
                    return;
                }
                var latency = MonotonicClock.NowNs - Volatile.Read(ref stamp);
                if (i >= warm)
                {
                    histogram.RecordValue(Math.Max(0, latency));
                }
            }
        });
        waiter.Start();
        var next = MonotonicClock.NowNs;
        for (var i = 0; i < samples; i++)
        {
            next += intervalUs * 1000L;
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
            Volatile.Write(ref stamp, MonotonicClock.NowNs);
            sem.Post();
        }
        waiter.Join();
        return histogram;
    }

    private static void SmallMessages(BenchReport report, BenchOptions options, string session)
    {
        var messages = options.Quick ? 2_000_000L : 40_000_000L;
        const int batch = 252; // 252 x 64 B + the 256 B slot header = one 16 KiB slot
        report.Section("Small messages (64 B), batched",
            $"Producer process writes {batch} messages of 64 B per slot (64 slots), this process reads and checks word 0 of each " +
            "and sums another. Baseline: memcpy of the same bytes in slot-sized chunks in one thread. Goal: >= 8 M messages/s.");
        var ring = RingMessages(session, messages, batch);
        var copy = MemcpyMessages(messages, batch);
        report.Table("path", "messages", "M msg/s", "ratio to memcpy", "goal");
        report.Row("ring, cross-process", messages, ring / 1e6, ring / copy, ring >= 8e6 ? "met" : "missed");
        report.Row("memcpy baseline", messages, copy / 1e6, 1.0, "");
    }

    private static double RingMessages(string session, long messages, int batch)
    {
        using var producer = Peer.Start("ring-bench-msgs", $"session={session}", "ring=msgs", $"messages={messages}", $"batch={batch}");
        using var reader = FrameReader.Attach(session, "msgs", ConsumerPolicy.Reliable, "bench", TimeSpan.FromSeconds(60));
        long expected = 0, start = 0, end = 0, startCount = 0;
        ulong sink = 0;
        var warm = messages / 10;
        while (reader.TryRead(TimeSpan.FromSeconds(60), out var slot) == ReadStatus.Frame)
        {
            var words = MemoryMarshal.Cast<byte, ulong>(slot.Payload);
            for (var m = 0; m + 8 <= words.Length; m += 8)
            {
                if (words[m] != (ulong)expected)
                {
                    throw new InvalidOperationException($"message {expected} arrived as {words[m]}");
                }
                sink += words[m + 1];
                expected++;
            }
            reader.Release();
            end = MonotonicClock.NowNs;
            if (start == 0 && expected >= warm)
            {
                start = end;
                startCount = expected;
            }
        }
        producer.Finish();
        GC.KeepAlive(sink);
        if (expected != messages)
        {
            throw new InvalidOperationException($"received {expected} of {messages} messages");
        }
        return (expected - startCount) / ((end - start) / 1e9);
    }

    private static double MemcpyMessages(long messages, int batch)
    {
        var source = GC.AllocateUninitializedArray<byte>(batch * 64, pinned: true);
        var destinations = new byte[64][];
        for (var i = 0; i < destinations.Length; i++)
        {
            destinations[i] = GC.AllocateUninitializedArray<byte>(batch * 64, pinned: true);
        }
        FramePattern.Fill(source, 1);
        var chunks = messages / batch;
        var clock = Stopwatch.StartNew();
        for (long c = 0; c < chunks; c++)
        {
            source.AsSpan().CopyTo(destinations[c & 63]);
        }
        clock.Stop();
        return chunks * batch / clock.Elapsed.TotalSeconds;
    }

    /// <summary>A producer peer process; <see cref="Finish"/> checks it exited cleanly.</summary>
    private sealed class Peer : IDisposable
    {
        private readonly Process _process;

        private Peer(Process process) => _process = process;

        public static Peer Start(string role, params string[] args)
        {
            var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true };
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Aqs.TestPeers.dll"));
            info.ArgumentList.Add(role);
            foreach (var a in args)
            {
                info.ArgumentList.Add(a);
            }
            return new Peer(Process.Start(info)!);
        }

        public void Finish()
        {
            var stderr = _process.StandardError.ReadToEnd();
            if (!_process.WaitForExit(60_000) || _process.ExitCode != 0)
            {
                throw new InvalidOperationException($"peer failed: {stderr.Trim()}");
            }
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }
            _process.Dispose();
        }
    }
}
