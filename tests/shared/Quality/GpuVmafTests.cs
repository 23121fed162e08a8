using System.Reflection;
using Aqs.Shared.Gpu;
using Aqs.Shared.Quality.Gpu;
using Aqs.Shared.Quality.Vmaf;
using Aqs.Shared.Tests.Quality.Vmaf;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace Aqs.Shared.Tests.Quality;

/// <summary>
/// The VMAF kernels (on CUDA when present, else ILGPU's CPU accelerator) give the CPU path's features: the integer
/// sums are the same, so the features are equal bit for bit.
/// </summary>
public class GpuVmafTests
{
    private static GpuContext? _gpu;

    [OneTimeSetUp]
    public void Start() => _gpu = GpuContext.TryCreate(TestContext.Progress.WriteLine) ?? GpuContext.CreateCpu(TestContext.Progress.WriteLine);

    [OneTimeTearDown]
    public void Stop() => _gpu?.Dispose();

    // Odd sizes leave a last column/row for the mirrors and odd halvings; 160x90 rows are longer than a CPU group.
    [TestCase(64, 48, 8)]
    [TestCase(101, 57, 8)]
    [TestCase(160, 90, 8)]
    [TestCase(133, 75, 10)]
    [TestCase(67, 49, 12)]
    public void Gpu_features_equal_the_cpu_path(int w, int h, int bitDepth)
    {
        var model = SyntheticModel.Load(SyntheticModel.Json());
        using var gpu = new GpuVmafMetric(_gpu!, model, w, h, bitDepth);
        using var cpu = new VmafMetric(model, w, h, bitDepth);
        for (var t = 0; t < 3; t++)
        {
            var (r, d, stride) = Pair(w, h, bitDepth, t);
            var expected = cpu.ComputeFeatures(r, stride, d, stride);
            var actual = gpu.ComputeFeatures(r, stride, d, stride);
            Assert.That(actual, Is.EqualTo(expected), $"frame {t}");
        }
    }

    [TestCase(true)]
    [TestCase(false)]
    public void A_restarted_scorer_scores_a_new_sequence_as_a_fresh_one_does(bool onGpu)
    {
        const int w = 64, h = 48;
        var model = SyntheticModel.Load(SyntheticModel.Json());
        using IVmafScorer scorer = onGpu ? new GpuVmafMetric(_gpu!, model, w, h, 8) : new VmafMetric(model, w, h, 8);
        using var fresh = new VmafMetric(model, w, h, 8);
        // A first sequence of other frames, then a restart: nothing of it may leak into the second sequence.
        for (var t = 3; t < 5; t++)
        {
            var (r, d, stride) = Pair(w, h, 8, t);
            scorer.ComputeFeatures(r, stride, d, stride);
        }
        scorer.Restart();
        Assert.That(scorer.FrameCount, Is.Zero);
        Assert.That(scorer.TryTakeScore(out _, out _), Is.False, "scores of the ended sequence are dropped");

        for (var t = 0; t < 3; t++)
        {
            var (r, d, stride) = Pair(w, h, 8, t);
            Assert.That(scorer.ComputeFeatures(r, stride, d, stride), Is.EqualTo(fresh.ComputeFeatures(r, stride, d, stride)), $"frame {t}");
        }
        scorer.Flush();
        fresh.Flush();
        Assert.That(scorer.PooledMean, Is.EqualTo(fresh.PooledMean));
        Assert.That(scorer.ScoredFrames, Is.EqualTo(3));
        Assert.That(scorer.TryTakeScore(out var first, out _), Is.True);
        Assert.That(first, Is.Zero, "frame indices start again at 0");
    }

    [Test]
    public void Pipelined_scores_equal_the_cpu_scores_in_frame_order()
    {
        const int w = 96, h = 54, frames = 7;
        var model = SyntheticModel.Load(SyntheticModel.Json());
        using var gpu = new GpuVmafMetric(_gpu!, model, w, h, 10, framesInFlight: 3);
        using var cpu = new VmafMetric(model, w, h, 10);
        var stride = 2 * w + 6;
        for (var t = 0; t < frames; t++)
        {
            var (r, d, packed) = Pair(w, h, 10, t);
            cpu.ComputeFeatures(r, packed, d, packed);
            gpu.Submit(Strided(r, packed, stride, h), stride, Strided(d, packed, stride, h), stride);
        }
        cpu.Flush();
        gpu.Flush();
        Assert.That(gpu.ScoredFrames, Is.EqualTo(frames));
        for (var i = 0; i < frames; i++)
        {
            Assert.That(cpu.TryTakeScore(out var ci, out var cs, out var cf), Is.True);
            Assert.That(gpu.TryTakeScore(out var gi, out var gs, out var gf), Is.True);
            Assert.That((gi, gs, gf), Is.EqualTo((ci, cs, cf)), $"frame {i}");
        }
        Assert.That(gpu.PooledMean, Is.EqualTo(cpu.PooledMean));
    }

    [Test]
    public void Short_plane_is_refused_with_a_one_line_message()
    {
        var model = SyntheticModel.Load(SyntheticModel.Json());
        using var gpu = new GpuVmafMetric(_gpu!, model, 64, 48, 8);
        var ex = Assert.Throws<ArgumentException>(() => gpu.Submit(new byte[100], 64, new byte[64 * 48], 64));
        Assert.That(ex!.Message, Does.StartWith("VMAF: reference luma plane has 100 bytes"));
    }

    [TestCase(nameof(VmafKernels.Widen))]
    [TestCase(nameof(VmafKernels.VifVertical))]
    [TestCase(nameof(VmafKernels.VifRows))]
    [TestCase(nameof(VmafKernels.VifSubsample))]
    [TestCase(nameof(VmafKernels.MotionVertical))]
    [TestCase(nameof(VmafKernels.MotionRows))]
    [TestCase(nameof(VmafKernels.AdmDwt0))]
    [TestCase(nameof(VmafKernels.AdmDwt))]
    [TestCase(nameof(VmafKernels.AdmDecoupleCsf))]
    [TestCase(nameof(VmafKernels.AdmRows))]
    public void Vmaf_kernel_compiles_to_ptx_for_sm_90(string kernel)
    {
        using var context = Context.Create(builder => builder.Cuda());
        using var backend = new PTXBackend(context, CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, null!);
        var method = typeof(VmafKernels).GetMethod(kernel, BindingFlags.Public | BindingFlags.Static)!;
        var compiled = (PTXCompiledKernel)backend.Compile(EntryPointDescription.FromExplicitlyGroupedKernel(method), default(KernelSpecialization));
        Assert.That(compiled.PTXAssembly, Does.Contain($".entry Kernel_{kernel}("));
        // Contracted multiply-adds would round differently from the CPU's separate double steps.
        Assert.That(compiled.PTXAssembly, Does.Not.Contain("fma.rn.f64"));
    }

    private static (byte[] Ref, byte[] Dis, int Stride) Pair(int w, int h, int bitDepth, int t)
    {
        var frame = SyntheticFrames.Scene(w, h, 2 * t, seed: t + 1);
        var dist = t % 2 == 0 ? SyntheticFrames.Noisy(frame, 5 + 10 * t, t) : SyntheticFrames.Blurred(frame, w, h);
        return bitDepth == 8 ? (frame, dist, w) : (Widen(frame, bitDepth - 8, t), Widen(dist, bitDepth - 8, t + 7), 2 * w);
    }

    private static byte[] Widen(byte[] plane, int shift, int seed)
    {
        var rng = new Random(seed);
        var result = new byte[plane.Length * 2];
        for (var i = 0; i < plane.Length; i++)
        {
            var v = (plane[i] << shift) | rng.Next(1 << shift);
            result[2 * i] = (byte)v;
            result[2 * i + 1] = (byte)(v >> 8);
        }
        return result;
    }

    private static byte[] Strided(byte[] packed, int rowBytes, int stride, int h)
    {
        var result = new byte[stride * h];
        for (var y = 0; y < h; y++)
        {
            packed.AsSpan(y * rowBytes, rowBytes).CopyTo(result.AsSpan(y * stride));
        }
        return result;
    }
}
