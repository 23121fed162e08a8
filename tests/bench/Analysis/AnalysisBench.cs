using Aqs.Bench.Harness;
using Aqs.Engine;
using Aqs.Engine.Analysis;
using Aqs.Engine.Analysis.Gpu;
using Aqs.Engine.Config;
using Aqs.Shared.Gpu;

namespace Aqs.Bench.Analysis;

/// <summary>
/// The AQS engine's content analysis: the one pass over the luma (8x8 block sums and sums of squares) on one CPU
/// thread with AVX2 and with its scalar twin, and on the GPU (ILGPU, CUDA when present, the luma upload and the
/// read-back included), against memcpy of the same luma bytes on the same thread in the same run; then a whole
/// engine step (analysis and decision) per frame. GPU and CPU results are compared value for value.
/// </summary>
public sealed class AnalysisBench : IBenchSuite
{
    public string Name => "analysis";

    public string Description => "content analysis (block pass) AVX2 / scalar / GPU vs memcpy, and a whole engine step per frame";

    public int Run(BenchReport report, BenchOptions options)
    {
        var seconds = options.Quick ? 0.3 : 2.0;
        var onCpu = Environment.GetEnvironmentVariable("AQS_BENCH_GPU") == "cpu";
        string? line = null;
        using var gpu = onCpu ? GpuContext.CreateCpu(l => line = l) : GpuContext.TryCreate(l => line = l);
        var sizes = options.Quick || onCpu ? new[] { (1280, 720) } : new[] { (1280, 720), (1920, 1080), (3840, 2160) };
        report.Section("Block pass, one thread", "fps = luma planes a second; memcpy copies the same luma bytes. " + (line ?? "no GPU"));
        report.Table("size", "depth", "memcpy fps", "AVX2 fps", "AVX2 / memcpy", "scalar fps", "AVX2 / scalar", "GPU fps (upload + read-back)", "GPU / AVX2", "GPU = CPU");
        foreach (var (w, h) in sizes)
        {
            foreach (var depth in new[] { 8, 10 })
            {
                var bytes = depth > 8 ? 2 : 1;
                var samples = Pattern(w * h * bytes, depth, 7);
                var plane = new LumaPlane(samples, w, h, w * bytes, depth);
                var grid = BlockGrid.For(w, h);
                var vector = new BlockStats(grid);
                var scalar = new BlockStats(grid);
                var copy = new byte[samples.Length];
                var memcpyFps = Throughput.PerSecond(seconds, () =>
                {
                    samples.AsSpan().CopyTo(copy);
                    return copy[^1];
                });
                var avxFps = Throughput.PerSecond(seconds, () =>
                {
                    BlockStatsCpu.Compute(new LumaPlane(samples, w, h, w * bytes, depth), vector);
                    return vector.Sum[0];
                });
                var scalarFps = Throughput.PerSecond(seconds, () =>
                {
                    BlockStatsCpu.Compute(new LumaPlane(samples, w, h, w * bytes, depth), scalar, useVector: false);
                    return scalar.Sum[0];
                });
                object gpuFps = "n/a (no GPU)";
                object ratio = "n/a";
                object equal = "n/a";
                if (gpu is not null)
                {
                    using var device = new GpuBlockStats(gpu.Accelerator);
                    var onDevice = new BlockStats(grid);
                    device.Compute(plane, onDevice);
                    BlockStatsCpu.Compute(plane, vector);
                    equal = onDevice.Sum.SequenceEqual(vector.Sum) && onDevice.SumSquares.SequenceEqual(vector.SumSquares) ? "yes" : "NO";
                    var fps = Throughput.PerSecond(seconds, () =>
                    {
                        device.Compute(new LumaPlane(samples, w, h, w * bytes, depth), onDevice);
                        return onDevice.Sum[0];
                    });
                    gpuFps = fps;
                    ratio = fps / avxFps;
                }
                report.Row($"{w}x{h}", depth, memcpyFps, avxFps, avxFps / memcpyFps, scalarFps, avxFps / scalarFps, gpuFps, ratio, equal);
            }
        }

        report.Section("Engine step", "One ProcessFrame (analysis, link budget, rung choice every 100 ms, decision) on a moving 8-bit picture, CPU, one thread, with a steady link report.");
        report.Table("size", "engine steps a second", "µs a step", "memcpy of the luma, µs");
        foreach (var (w, h) in sizes)
        {
            using var engine = AqsEngine.Init(AqsConfig.Empty, new EncoderHardware { Codec = "libx264", CodecDepths = [8, 10] });
            var frames = Enumerable.Range(0, 8).Select(i => Pattern(w * h, 8, i)).ToArray();
            var copy = new byte[w * h];
            long id = 0;
            var net = new NetworkConstraints { TimestampNs = 1, EstimateBps = 5e6, DeliveryBps = 4e6, AckedSendTimeNs = 1, RttMs = 40 };
            var steps = Throughput.PerSecond(seconds, () =>
            {
                var frame = frames[id % frames.Length];
                var now = id * 16_666_667;
                var d = engine.ProcessFrame(new FrameInput(new LumaPlane(frame, w, h, w, 8), id, now, now, 60), net with { TimestampNs = now, AckedSendTimeNs = Math.Max(1, now - 30_000_000) });
                id++;
                return d.BitrateBps;
            });
            var memcpy = Throughput.PerSecond(seconds, () =>
            {
                frames[0].AsSpan().CopyTo(copy);
                return copy[^1];
            });
            report.Row($"{w}x{h}", steps, 1e6 / steps, 1e6 / memcpy);
        }
        report.Note("A frame at 60 fps has 16 667 µs: the engine's share of it is the µs column.");

        report.Section("Host telemetry", "What Kernel C's telemetry reads on this machine (NaN or unavailable: not readable here, never guessed).");
        var cpu = new Aqs.Shared.Telemetry.CpuUsage();
        var rapl = new Aqs.Shared.Telemetry.RaplPower();
        using var nvml = Aqs.Shared.Telemetry.NvmlGpu.TryOpen(out var why);
        var start = Aqs.Shared.Timing.MonotonicClock.NowNs;
        cpu.Sample(start);
        rapl.Sample(start);
        Thread.Sleep(500);
        var end = Aqs.Shared.Timing.MonotonicClock.NowNs;
        cpu.Sample(end);
        rapl.Sample(end);
        nvml?.Sample();
        report.Table("figure", "value");
        report.Row("process CPU, cores", cpu.ProcessCores);
        report.Row("machine CPU, share", cpu.Machine);
        report.Row("package power (RAPL), W", rapl.Available ? rapl.Watts : "unavailable: " + rapl.Why);
        report.Row("GPU (NVML)", nvml is null ? "unavailable: " + why : $"{nvml.UtilizationPercent}% busy, {nvml.MemoryUsedMb:F0} MiB used, {nvml.PowerW:F1} W, {nvml.GraphicsClockMhz} MHz");
        return 0;
    }

    private static byte[] Pattern(int length, int depth, int seed)
    {
        var random = new Random(seed);
        var data = new byte[length];
        if (depth == 8)
        {
            random.NextBytes(data);
            return data;
        }
        for (var i = 0; i + 1 < length; i += 2)
        {
            BitConverter.TryWriteBytes(data.AsSpan(i), (ushort)random.Next(1 << depth));
        }
        return data;
    }
}
