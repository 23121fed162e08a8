using Aqs.Bench.Harness;
using Aqs.Kernel.Network.Fec;

namespace Aqs.Bench.Network;

/// <summary>
/// <c>aqs bench network</c>: Reed-Solomon encode/decode throughput on one core for 10+4 and 32+8 blocks of
/// 1200-byte shards. Our ISA-L binding against ISA-L called from C, our managed engine against its goal, memcpy
/// of the same bytes for scale; all measured in this run. GB/s counts data bytes (k x 1200 per block).
/// </summary>
public sealed class RsBench : IBenchSuite
{
    private const int ShardLength = 1200;

    public string Name => "network";

    public string Description => "Reed-Solomon encode/decode: ISA-L binding vs C, managed engine, memcpy";

    public int Run(BenchReport report, BenchOptions options)
    {
        var seconds = options.Quick ? 0.05 : 0.4;
        var repeats = options.Quick ? 1 : 5;
        var program = IsalCProgram.Build(out var whyNoC);
        report.Section("Reed-Solomon throughput, one core",
            $"Shards of {ShardLength} bytes; GB/s of data bytes; decode rebuilds m lost data shards (the worst case) with cached tables. " +
            $"Best of {repeats} interleaved runs of {seconds:0.##} s of thread CPU time each (CPU time, so other processes on the cores do not count against us). Managed engine: {new ManagedErasureCoder().Engine}.");
        report.Table("block", "operation", "memcpy GB/s", "ISA-L from C GB/s", "our ISA-L GB/s", "ours / C (goal >= 0.9)",
            "managed GB/s", "managed / C", "managed / memcpy");
        var rc = 0;
        foreach (var (k, m) in new[] { (10, 4), (32, 8) })
        {
            // Interleaved repeats, best of each: a burst of load from other processes hits one figure, not all of one kind.
            using var managedCoder = new ManagedErasureCoder();
            using var isalCoder = IsalErasureCoder.IsAvailable ? new IsalErasureCoder() : null;
            double memcpy = 0;
            (double Encode, double Decode) c = program is null ? (double.NaN, double.NaN) : (0, 0);
            (double Encode, double Decode) isal = isalCoder is null ? (double.NaN, double.NaN) : (0, 0);
            (double Encode, double Decode) managed = (0, 0);
            for (var i = 0; i < repeats; i++)
            {
                memcpy = Math.Max(memcpy, MeasureMemcpy(k, seconds));
                if (program is not null)
                {
                    var r = IsalCProgram.Measure(program, k, m, ShardLength, seconds);
                    c = (Math.Max(c.Encode, r.Encode), Math.Max(c.Decode, r.Decode));
                }
                if (isalCoder is not null)
                {
                    isal = (Math.Max(isal.Encode, MeasureEncode(isalCoder, k, m, seconds)), Math.Max(isal.Decode, MeasureDecode(isalCoder, k, m, seconds)));
                }
                managed = (Math.Max(managed.Encode, MeasureEncode(managedCoder, k, m, seconds)), Math.Max(managed.Decode, MeasureDecode(managedCoder, k, m, seconds)));
            }
            report.Row($"{k}+{m}", "encode", memcpy, c.Encode, isal.Encode, Ratio(isal.Encode, c.Encode), managed.Encode,
                Ratio(managed.Encode, c.Encode), Ratio(managed.Encode, memcpy));
            report.Row($"{k}+{m}", "decode", memcpy, c.Decode, isal.Decode, Ratio(isal.Decode, c.Decode), managed.Decode,
                Ratio(managed.Decode, c.Decode), Ratio(managed.Decode, memcpy));
        }
        if (program is null)
        {
            report.Note($"ISA-L from C not measured: {whyNoC}");
        }
        if (!IsalErasureCoder.IsAvailable)
        {
            report.Note("Our ISA-L path not measured: libisal.so.2 is not installed (apt-get install libisal2).");
        }
        report.Note("Goals: our ISA-L path >= 0.9x ISA-L from C (the cost of the binding and the table cache); managed encode >= 5 GB/s per core.");
        return rc;
    }

    private static string Ratio(double ours, double baseline) =>
        double.IsNaN(ours) || double.IsNaN(baseline) || baseline <= 0 ? "n/a" : (ours / baseline).ToString("F2", System.Globalization.CultureInfo.InvariantCulture) + "x";

    private static double MeasureEncode(IErasureCoder coder, int k, int m, double seconds)
    {
        using var block = new BenchBlock(k, m, ShardLength);
        coder.Encode(block.Shards);
        return Time(k, seconds, () => coder.Encode(block.Shards), batch: 64);
    }

    private static double MeasureDecode(IErasureCoder coder, int k, int m, double seconds)
    {
        using var block = new BenchBlock(k, m, ShardLength);
        coder.Encode(block.Shards);
        var present = ShardMask.FirstN(k + m);
        for (var i = 0; i < m; i++)
        {
            present.Clear(i);
        }
        coder.Reconstruct(block.Shards, present);
        return Time(k, seconds, () => coder.Reconstruct(block.Shards, present), batch: 64);
    }

    private static unsafe double MeasureMemcpy(int k, double seconds)
    {
        var bytes = k * ShardLength;
        using var source = new NativeBuffer(bytes);
        using var target = new NativeBuffer(bytes);
        return Time(k, seconds, () => source.Span.CopyTo(target.Span), batch: 64);
    }

    /// <summary>Runs <paramref name="action"/> in batches until <paramref name="seconds"/> pass; GB/s of k shards per call.</summary>
    private static double Time(int k, double seconds, Action action, int batch)
    {
        // Warm up for a share of the time: tier-1 JIT of the kernels, tables in the cache, data in L1/L2.
        var warmEnd = ThreadCpuClock.NowSeconds() + seconds / 4;
        while (ThreadCpuClock.NowSeconds() < warmEnd)
        {
            for (var i = 0; i < batch; i++)
            {
                action();
            }
        }
        long calls = 0;
        var start = ThreadCpuClock.NowSeconds();
        double elapsed;
        do
        {
            for (var i = 0; i < batch; i++)
            {
                action();
            }
            calls += batch;
            elapsed = ThreadCpuClock.NowSeconds() - start;
        }
        while (elapsed < seconds);
        return calls * (double)k * ShardLength / elapsed / 1e9;
    }

    private sealed class BenchBlock : IDisposable
    {
        private readonly NativeBuffer _buffer;

        public BenchBlock(int k, int m, int length)
        {
            var stride = (length + 63) & ~63;
            _buffer = new NativeBuffer((k + m) * stride);
            new Random(1).NextBytes(_buffer.Span);
            Shards = new ShardSet();
            Shards.Configure(k, m, length);
            Shards.BindContiguous(_buffer, 0, stride);
        }

        public ShardSet Shards { get; }

        public void Dispose()
        {
            Shards.Dispose();
            _buffer.Dispose();
        }
    }
}
