using Aqs.Engine.Analysis;
using Aqs.Shared.Gpu;

namespace Aqs.Kernel.Encode.Tests.Engine.Analysis;

public class BlockStatsTests
{
    private static LumaPlane Plane(byte[] samples, int width, int height, int depth, int padding = 5) =>
        new(samples, width, height, width * (depth > 8 ? 2 : 1) + padding, depth);

    private static byte[] Random(int width, int height, int depth, int seed, int padding = 5)
    {
        var bytes = depth > 8 ? 2 : 1;
        var stride = width * bytes + padding;
        var samples = new byte[stride * height];
        var random = new Random(seed);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var v = random.Next(1 << depth);
                if (bytes == 1)
                {
                    samples[y * stride + x] = (byte)v;
                }
                else
                {
                    BitConverter.TryWriteBytes(samples.AsSpan(y * stride + 2 * x), (ushort)v);
                }
            }
        }
        return samples;
    }

    private static readonly object[] Shapes =
    [
        new object[] { 8, 8, 8 }, new object[] { 97, 61, 8 }, new object[] { 1280, 720, 8 }, new object[] { 33, 17, 8 },
        new object[] { 7, 5, 8 }, new object[] { 64, 48, 10 }, new object[] { 95, 63, 10 }, new object[] { 41, 23, 12 },
    ];

    [TestCaseSource(nameof(Shapes))]
    public void The_avx2_pass_equals_its_scalar_twin(int width, int height, int depth)
    {
        var plane = Plane(Random(width, height, depth, width * 31 + height), width, height, depth);
        var grid = BlockGrid.For(width, height);
        var vector = new BlockStats(grid);
        var scalar = new BlockStats(grid);
        BlockStatsCpu.Compute(plane, vector);
        BlockStatsCpu.Compute(plane, scalar, useVector: false);
        Assert.That((vector.Sum, vector.SumSquares), Is.EqualTo((scalar.Sum, scalar.SumSquares)));
    }

    [Test]
    public void Scalar_sums_are_the_sums_of_the_samples()
    {
        var samples = Random(16, 8, 8, 3, padding: 0);
        var plane = Plane(samples, 16, 8, 8, padding: 0);
        var stats = new BlockStats(BlockGrid.For(16, 8));
        BlockStatsCpu.Compute(plane, stats, useVector: false);
        var first = Enumerable.Range(0, 8).SelectMany(y => samples.Skip(y * 16).Take(8)).Select(b => (int)b).ToArray();
        Assert.That((stats.Sum[0], stats.SumSquares[0]), Is.EqualTo((first.Sum(), first.Sum(v => v * v))));
    }

    [TestCaseSource(nameof(Shapes))]
    public void The_gpu_kernel_on_ilgpus_cpu_accelerator_equals_the_cpu_pass(int width, int height, int depth)
    {
        using var gpu = GpuContext.CreateCpu();
        using var device = new Aqs.Engine.Analysis.Gpu.GpuBlockStats(gpu.Accelerator);
        var plane = Plane(Random(width, height, depth, width * 7 + height), width, height, depth);
        var grid = BlockGrid.For(width, height);
        var onDevice = new BlockStats(grid);
        var onCpu = new BlockStats(grid);
        device.Compute(plane, onDevice);
        BlockStatsCpu.Compute(plane, onCpu);
        Assert.That((onDevice.Sum, onDevice.SumSquares), Is.EqualTo((onCpu.Sum, onCpu.SumSquares)));
    }

    [Test]
    public void Gpu_and_cpu_analysers_give_identical_metrics_frame_after_frame()
    {
        using var gpu = GpuContext.CreateCpu();
        using var onDevice = new ContentAnalyzer(advanced: true, gpu.Accelerator);
        using var onCpu = new ContentAnalyzer(advanced: true);
        var texture = new Infrastructure.MovingTexture(320, 184) { Speed = 3 };
        for (var i = 0; i < 12; i++)
        {
            if (i == 8)
            {
                texture.Cut();
            }
            var luma = texture.Next();
            Assert.That(onDevice.Analyze(luma), Is.EqualTo(onCpu.Analyze(luma)), $"frame {i}");
        }
    }
}
