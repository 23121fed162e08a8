using System.Diagnostics;
using Aqs.Bench.Harness;
using Aqs.Kernel.Preprocess.Sources;
using Aqs.Shared.Compression;
using Aqs.Shared.Frames;
using Aqs.Shared.Media;

namespace Aqs.Bench.Sources;

/// <summary>
/// <c>--ref-compression</c>: memory the ref ring saves (stored / raw bytes) and the CPU it costs per frame to compress
/// (Kernel B) and decompress (the display), against a memcpy of the same frame into a slot-sized buffer, all in one run.
/// </summary>
public sealed class RefCompressionBench : IBenchSuite
{
    public string Name => "refcompression";

    public string Description => "ref ring lz4/zstd: stored/raw ratio and ms per frame vs memcpy";

    public int Run(BenchReport report, BenchOptions options)
    {
        Thread.CurrentThread.Priority = ThreadPriority.Highest;
        report.Section("Reference frame compression, one thread",
            $"Each case: distinct frames made ahead, then each codec compresses every frame into a slot-sized buffer and decompresses it " +
            $"back (checked bit-exact once per frame). ms/frame = CPU seconds of this thread / frames (wall in brackets). Baseline: " +
            $"Span.CopyTo of the same frames into the same buffer (what storing it uncompressed costs). stored/raw = compressed bytes / " +
            $"frame bytes over the frames; ring MiB = a 64-slot ref ring's memory touched (tmpfs allocates only written pages), raw vs stored. " +
            $"LZ4: K4os L00_FAST; zstd: ZstdSharp level {FrameCompressor.ZstdLevel}. Synthetic frames carry noise 0.1 (camera-like), so they " +
            "compress less than clean renders would.");
        report.Table("case", "codec", "frames", "stored/raw", "ring MiB raw → stored", "compress ms/frame (wall)", "decompress ms/frame (wall)", "memcpy ms/frame (wall)", "compress / memcpy", "decompress / memcpy");
        foreach (var (name, frames) in Cases(options))
        {
            Measure(report, name, frames, options.Quick ? 1 : 3);
        }
        report.Note($"Load average (1 min) at end {LoadAverage()} on {Environment.ProcessorCount} cores; per-frame CPU figures are per core.");
        return 0;
    }

    private static IEnumerable<(string Name, byte[][] Frames)> Cases(BenchOptions options)
    {
        var n = options.Quick ? 4 : 16;
        yield return ("synthetic 1920x1080 8-bit 4:2:0", Synthetic(new SyntheticOptions { Width = 1920, Height = 1080, BitDepth = 8, MotionSpeed = 6, Detail = 0.6, Noise = 0.1 }, n));
        yield return ("synthetic 1920x1080 10-bit 4:2:0", Synthetic(new SyntheticOptions { Width = 1920, Height = 1080, BitDepth = 10, MotionSpeed = 6, Detail = 0.6, Noise = 0.1 }, n));
        yield return ("synthetic 3840x2160 10-bit 4:2:0", Synthetic(new SyntheticOptions { Width = 3840, Height = 2160, BitDepth = 10, MotionSpeed = 8, Detail = 0.6, Noise = 0.1 }, options.Quick ? 2 : 6));
        var clip = options.DataDirectory is null ? null : Path.Combine(options.DataDirectory, "clips", "bigbuckbunny.mp4");
        if (clip is not null && File.Exists(clip))
        {
            yield return ($"clip bigbuckbunny.mp4 (decoded)", Decoded(clip, n));
        }
    }

    private static byte[][] Synthetic(SyntheticOptions o, int count)
    {
        using var source = new SyntheticSource(o);
        var frames = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            frames[i] = new byte[source.Layout.FrameSize];
            for (var skip = 0; skip < 4; skip++)
            {
                source.TryReadFrame(frames[i], out _); // 4 apart: distinct content, not near-duplicates
            }
        }
        return frames;
    }

    private static byte[][] Decoded(string path, int count)
    {
        using var reader = MediaFileReader.Open(path);
        var frames = new List<byte[]>();
        while (frames.Count < count && reader.TryReadFrame(out var f))
        {
            var bytes = new byte[reader.Layout.FrameSize];
            f.View.CopyTo(bytes.AsSpan());
            frames.Add(bytes);
        }
        return [.. frames];
    }

    private static void Measure(BenchReport report, string name, byte[][] frames, int rounds)
    {
        var size = frames[0].Length;
        var slot = GC.AllocateUninitializedArray<byte>(size, pinned: true);
        var back = GC.AllocateUninitializedArray<byte>(size, pinned: true);
        var layoutNote = $"{name} ({size / 1e6:F1} MB/frame)";
        foreach (var f in frames)
        {
            f.AsSpan().CopyTo(slot); // untimed: first touch of the buffers' pages
            f.AsSpan().CopyTo(back);
        }
        // memcpy baseline, best of rounds
        var copy = Best(rounds, () =>
        {
            foreach (var f in frames)
            {
                f.AsSpan().CopyTo(slot);
            }
        });
        foreach (var codec in new[] { RefCompression.Lz4, RefCompression.Zstd })
        {
            using var c = new FrameCompressor(codec);
            var lengths = new int[frames.Length];
            var packed = new byte[frames.Length][];
            for (var i = 0; i < frames.Length; i++)
            {
                lengths[i] = c.Compress(frames[i], slot); // warm-up and verification
                packed[i] = slot[..Math.Max(0, lengths[i])];
                if (lengths[i] <= 0)
                {
                    packed[i] = frames[i];
                }
                else
                {
                    c.Decompress(packed[i], back);
                    if (!back.AsSpan().SequenceEqual(frames[i]))
                    {
                        throw new InvalidOperationException($"{codec} round trip differs on {name} frame {i}");
                    }
                }
            }
            var compress = Best(rounds, () =>
            {
                foreach (var f in frames)
                {
                    c.Compress(f, slot);
                }
            });
            var decompress = Best(rounds, () =>
            {
                for (var i = 0; i < packed.Length; i++)
                {
                    if (lengths[i] > 0)
                    {
                        c.Decompress(packed[i], back);
                    }
                }
            });
            var stored = lengths.Select((l, i) => l > 0 ? (long)l : frames[i].Length).Sum();
            var ratio = stored / (double)((long)size * frames.Length);
            var ringRaw = 64.0 * size / (1024 * 1024);
            double Ms(double s) => s * 1000 / frames.Length;
            report.Row(layoutNote, codec.Name(), frames.Length, ratio, $"{ringRaw:F0} → {ringRaw * ratio:F0}",
                $"{Ms(compress.Cpu):F2} ({Ms(compress.Wall):F2})", $"{Ms(decompress.Cpu):F2} ({Ms(decompress.Wall):F2})",
                $"{Ms(copy.Cpu):F3} ({Ms(copy.Wall):F3})", compress.Cpu / copy.Cpu, decompress.Cpu / copy.Cpu);
        }
    }

    /// <summary>Lowest (thread CPU s, wall s) of <paramref name="rounds"/> runs of <paramref name="body"/>.</summary>
    private static (double Cpu, double Wall) Best(int rounds, Action body)
    {
        var best = (Cpu: double.MaxValue, Wall: double.MaxValue);
        for (var r = 0; r < rounds; r++)
        {
            var cpu = ThreadCpuClock.NowSeconds;
            var sw = Stopwatch.StartNew();
            body();
            best = (Math.Min(best.Cpu, Math.Max(1e-6, ThreadCpuClock.NowSeconds - cpu)), Math.Min(best.Wall, sw.Elapsed.TotalSeconds));
        }
        return best;
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
}
