using System.Globalization;
using Aqs.Bench.Harness;
using Aqs.Kernel.Network.Fec;

namespace Aqs.Bench.Network;

/// <summary>
/// <c>aqs bench network</c>: Reed-Solomon encode/decode on one core for 10+4 and 32+8 blocks of 1200-byte shards.
/// Our ISA-L binding against ISA-L called from C (the bare kernel, and a C decode doing our per-call work), our
/// managed engine against its goal, memcpy of the same bytes for scale, and our per-call bookkeeping alone; all
/// measured in this run. GB/s counts data bytes (k x 1200 per block).
/// </summary>
public sealed class RsBench : IBenchSuite
{
    private const int ShardLength = 1200;

    // Calls between two reads of the thread CPU clock, the same on the C side. A read costs microseconds on a VM;
    // at 64 calls per read (this suite's old batch, against C's 256) it added ~20 ns to each of our 10+4 calls only.
    private const int Batch = 1024;

    public string Name => "network";

    public string Description => "Reed-Solomon encode/decode: ISA-L binding vs C, managed engine, memcpy";

    public int Run(BenchReport report, BenchOptions options)
    {
        var seconds = options.Quick ? 0.05 : 0.4;
        var repeats = options.Quick ? 1 : 7;
        var loadBefore = BenchReport.LoadAverage().ToString("F1", CultureInfo.InvariantCulture);
        var clockRead = ClockReadSeconds();
        var program = IsalCProgram.Build(out var whyNoC);
        var results = new List<Result>();
        foreach (var (k, m) in new[] { (10, 4), (32, 8) })
        {
            results.Add(Measure(program, k, m, seconds, repeats));
        }
        var loadAfter = BenchReport.LoadAverage().ToString("F1", CultureInfo.InvariantCulture);

        report.Section("Reed-Solomon throughput, one core",
            $"Shards of {ShardLength} bytes; GB/s of data bytes; decode rebuilds m lost data shards (the worst case) with cached tables. " +
            $"Best of {repeats} interleaved runs of {seconds:0.##} s of thread CPU time each (CPU time, so other processes' turns on the cores do not count against us; " +
            $"they still share caches, so the machine's load is noted below). Managed engine: {new ManagedErasureCoder().Engine}.");
        report.Table("block", "operation", "memcpy GB/s", "ISA-L from C GB/s", "our ISA-L GB/s", "ours / C (goal >= 0.9)",
            "managed GB/s", "managed / C", "managed / memcpy");
        foreach (var r in results)
        {
            foreach (var op in r.Ops)
            {
                report.Row(r.Block, op.Name, r.GBps(r.Memcpy), r.GBps(op.C), r.GBps(op.Isal), Ratio(op.C, op.Isal),
                    r.GBps(op.Managed), Ratio(op.C, op.Managed), Ratio(r.Memcpy, op.Managed));
            }
        }

        report.Section("Per-call cost of our binding",
            "Nanoseconds per call (best of the same runs). \"C, kernel only\" calls ec_encode_data with tables and shard pointers fixed outside the loop; " +
            "\"C, our per-call work\" is a C decode that per call picks the k sources from a 256-bit loss mask, checks its one-entry table memo and gathers the " +
            "shard addresses, step for step what our Reconstruct does, then calls the same kernel. Both C decodes use tables built once, " +
            "as our coder caches them, so neither side inverts a matrix per call. \"Bookkeeping alone\" is our Encode/Reconstruct with the kernel " +
            "replaced by one store: what we add per call. Encode has no per-call choice to make, so its only baseline is the kernel.");
        report.Table("block", "operation", "C, kernel only ns", "C, our per-call work ns", "our ISA-L ns", "ours - C kernel ns",
            "bookkeeping alone ns", "ours / C kernel", "ours / C same work");
        foreach (var r in results)
        {
            foreach (var op in r.Ops)
            {
                var sameWork = op.Name == "decode" ? r.DecodeWithSelection : double.NaN;
                report.Row(r.Block, op.Name, Ns(op.C), Ns(sameWork), Ns(op.Isal), Ns(op.Isal - op.C), Ns(op.Bookkeeping),
                    Ratio(op.C, op.Isal), op.Name == "decode" ? Ratio(sameWork, op.Isal) : "= kernel");
            }
        }

        if (program is null)
        {
            report.Note($"ISA-L from C not measured: {whyNoC}");
        }
        if (!IsalErasureCoder.IsAvailable)
        {
            report.Note("Our ISA-L path not measured: libisal.so.2 is not installed (apt-get install libisal2).");
        }
        report.Note($"Both sides read the thread CPU clock once per {Batch} calls (one read costs {clockRead * 1e6:0.0} us of CPU here, " +
            $"{clockRead * 1e9 / Batch:0.0} ns per call, the same on both sides). Our calls go through a struct, not a delegate, so the harness " +
            "adds a direct call as the C loop does. C built with gcc -O2 -march=native; ISA-L chooses its SIMD at run time in both.");
        var spreads = results.SelectMany(r => r.Ops.Select(op =>
            $"{r.Block} {op.Name} C {Percent(op.CSpread)}, ours {Percent(op.IsalSpread)}"));
        report.Note("Spread between repeats (slowest / fastest - 1): " + string.Join("; ", spreads) +
            ". A difference between the best figures smaller than this spread, including a negative \"ours - C kernel\", is noise; " +
            "\"bookkeeping alone\" is the direct measure of what we add.");
        report.Note($"Load average (1 min) of this shared machine: {loadBefore} before, {loadAfter} after, on {Environment.ProcessorCount} cores.");
        report.Note("Goals: our ISA-L path >= 0.9x ISA-L from C, the bare kernel (the cost of the binding and the table cache); managed encode >= 5 GB/s per core.");
        return 0;
    }

    private static Result Measure(string? program, int k, int m, double seconds, int repeats)
    {
        using var managed = new ManagedErasureCoder();
        using var isal = IsalErasureCoder.IsAvailable ? new IsalErasureCoder() : null;
        using var stub = new KernelStubCoder();
        using var block = new BenchBlock(k, m, ShardLength);
        var present = ShardMask.FirstN(k + m);
        for (var i = 0; i < m; i++)
        {
            present.Clear(i);
        }
        var r = new Result(k, m, program is not null, isal is not null);
        var encode = r.Ops[0];
        var decode = r.Ops[1];
        // Interleaved repeats, best of each: a burst of load from other processes hits one figure, not all of one kind.
        // Repeat -1 is a discarded warm-up so that even --quick times tier-1 code (tiering waits ~100 ms of wall time).
        for (var i = -1; i < repeats; i++)
        {
            if (i < 0)
            {
                var warm = 0.1;
                Time(new MemcpyCall(block.Source, block.Copy, k * ShardLength), warm);
                if (isal is not null)
                {
                    Time(new EncodeCall(isal, block.Shards), warm);
                    Time(new ReconstructCall(isal, block.Shards, present), warm);
                }
                Time(new EncodeCall(managed, block.Shards), warm);
                Time(new ReconstructCall(managed, block.Shards, present), warm);
                Time(new EncodeCall(stub, block.Shards), warm);
                Time(new ReconstructCall(stub, block.Shards, present), warm);
                continue;
            }
            r.Memcpy = Math.Min(r.Memcpy, Time(new MemcpyCall(block.Source, block.Copy, k * ShardLength), seconds));
            if (program is not null)
            {
                var c = IsalCProgram.Measure(program, k, m, ShardLength, seconds, Batch);
                encode.AddC(r.NsPerCall(c.Encode));
                decode.AddC(r.NsPerCall(c.Decode));
                r.DecodeWithSelection = Math.Min(r.DecodeWithSelection, r.NsPerCall(c.DecodeWithSelection));
            }
            if (isal is not null)
            {
                encode.AddIsal(Time(new EncodeCall(isal, block.Shards), seconds));
                decode.AddIsal(Time(new ReconstructCall(isal, block.Shards, present), seconds));
            }
            encode.Managed = Math.Min(encode.Managed, Time(new EncodeCall(managed, block.Shards), seconds));
            decode.Managed = Math.Min(decode.Managed, Time(new ReconstructCall(managed, block.Shards, present), seconds));
            encode.Bookkeeping = Math.Min(encode.Bookkeeping, Time(new EncodeCall(stub, block.Shards), seconds / 4));
            decode.Bookkeeping = Math.Min(decode.Bookkeeping, Time(new ReconstructCall(stub, block.Shards, present), seconds / 4));
        }
        return r;
    }

    private static string Ratio(double baselineNs, double oursNs) =>
        double.IsNaN(oursNs) || double.IsNaN(baselineNs) || oursNs <= 0 ? "n/a" : (baselineNs / oursNs).ToString("F2", CultureInfo.InvariantCulture) + "x";

    private static string Percent(double fraction) =>
        double.IsNaN(fraction) ? "n/a" : (fraction * 100).ToString("F1", CultureInfo.InvariantCulture) + "%";

    private static string Ns(double ns) =>
        double.IsNaN(ns) ? "n/a" : ns.ToString(Math.Abs(ns) >= 100 ? "F0" : "F1", CultureInfo.InvariantCulture);

    /// <summary>Runs <paramref name="call"/> in batches until <paramref name="seconds"/> of thread CPU time pass; returns ns per call.</summary>
    private static double Time<TCall>(TCall call, double seconds)
        where TCall : struct, ICall
    {
        // Warm up for a share of the time: tier-1 JIT of the kernels, tables in the cache, data in L1/L2.
        var warmEnd = ThreadCpuClock.NowSeconds() + seconds / 4;
        while (ThreadCpuClock.NowSeconds() < warmEnd)
        {
            for (var i = 0; i < Batch; i++)
            {
                call.Invoke();
            }
        }
        long calls = 0;
        var start = ThreadCpuClock.NowSeconds();
        double elapsed;
        do
        {
            for (var i = 0; i < Batch; i++)
            {
                call.Invoke();
            }
            calls += Batch;
            elapsed = ThreadCpuClock.NowSeconds() - start;
        }
        while (elapsed < seconds);
        return elapsed * 1e9 / calls;
    }

    /// <summary>CPU seconds one read of the thread CPU clock costs (a system call on a VM, not vDSO).</summary>
    private static double ClockReadSeconds()
    {
        const int reads = 2000;
        var start = ThreadCpuClock.NowSeconds();
        for (var i = 0; i < reads; i++)
        {
            ThreadCpuClock.NowSeconds();
        }
        return (ThreadCpuClock.NowSeconds() - start) / reads;
    }

    /// <summary>One timed call; a struct so the timing loop calls it directly (no delegate), as the C loop does.</summary>
    private interface ICall
    {
        void Invoke();
    }

    private readonly struct EncodeCall(ErasureCoder coder, ShardSet shards) : ICall
    {
        public void Invoke() => coder.Encode(shards);
    }

    private readonly struct ReconstructCall(ErasureCoder coder, ShardSet shards, ShardMask present) : ICall
    {
        private readonly ShardMask _present = present;

        public void Invoke() => coder.Reconstruct(shards, _present);
    }

    private readonly struct MemcpyCall(NativeBuffer source, NativeBuffer target, int bytes) : ICall
    {
        public void Invoke() => source.Span[..bytes].CopyTo(target.Span);
    }

    /// <summary>Best ns per call of one operation on each side (NaN: not measured).</summary>
    private sealed class Op(string name, bool haveC, bool haveIsal)
    {
        public string Name { get; } = name;

        public double C { get; private set; } = haveC ? double.MaxValue : double.NaN;

        public double Isal { get; private set; } = haveIsal ? double.MaxValue : double.NaN;

        /// <summary>Slowest repeat over fastest, minus one: how far apart repeats of the same thing land on this machine.</summary>
        public double CSpread => _cWorst / C - 1;

        public double IsalSpread => _isalWorst / Isal - 1;

        private double _cWorst = double.NaN;
        private double _isalWorst = double.NaN;

        public void AddC(double ns)
        {
            C = Math.Min(C, ns);
            _cWorst = double.IsNaN(_cWorst) ? ns : Math.Max(_cWorst, ns);
        }

        public void AddIsal(double ns)
        {
            Isal = Math.Min(Isal, ns);
            _isalWorst = double.IsNaN(_isalWorst) ? ns : Math.Max(_isalWorst, ns);
        }

        public double Managed { get; set; } = double.MaxValue;

        public double Bookkeeping { get; set; } = double.MaxValue;
    }

    private sealed class Result(int k, int m, bool haveC, bool haveIsal)
    {
        public string Block { get; } = $"{k}+{m}";

        public Op[] Ops { get; } = [new("encode", haveC, haveIsal), new("decode", haveC, haveIsal)];

        public double Memcpy { get; set; } = double.MaxValue;

        public double DecodeWithSelection { get; set; } = haveC ? double.MaxValue : double.NaN;

        public double NsPerCall(double gbps) => k * (double)ShardLength / gbps;

        public object GBps(double nsPerCall) => double.IsNaN(nsPerCall) ? "n/a" : k * (double)ShardLength / nsPerCall;
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
            Source = new NativeBuffer(k * length);
            Copy = new NativeBuffer(k * length);
        }

        public ShardSet Shards { get; }

        /// <summary>memcpy's source and target, k shards of bytes each.</summary>
        public NativeBuffer Source { get; }

        public NativeBuffer Copy { get; }

        public void Dispose()
        {
            Shards.Dispose();
            _buffer.Dispose();
            Source.Dispose();
            Copy.Dispose();
        }
    }
}
