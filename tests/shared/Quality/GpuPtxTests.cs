using System.Reflection;
using Aqs.Shared.Quality.Gpu;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace Aqs.Shared.Tests.Quality;

/// <summary>
/// ILGPU's CPU accelerator runs the kernels as .NET code, so it cannot catch what only the CUDA backend rejects.
/// These compile each kernel to PTX (asked for sm_90, the H100/H200; ILGPU 1.5.3 emits sm_80 code, which runs there) without a GPU.
/// </summary>
public class GpuPtxTests
{
    [TestCase(nameof(QualityKernels.SseRows), true)]
    [TestCase(nameof(QualityKernels.BlockSums), false)]
    [TestCase(nameof(QualityKernels.WindowRows), true)]
    public void Quality_kernel_compiles_to_ptx_for_sm_90(string kernel, bool explicitlyGrouped)
    {
        using var context = Context.Create(builder => builder.Cuda());
        using var backend = new PTXBackend(context, CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, null!);
        var method = typeof(QualityKernels).GetMethod(kernel, BindingFlags.Public | BindingFlags.Static)!;
        var entry = explicitlyGrouped
            ? EntryPointDescription.FromExplicitlyGroupedKernel(method)
            : EntryPointDescription.FromImplicitlyGroupedKernel(method);
        var compiled = (PTXCompiledKernel)backend.Compile(entry, default(KernelSpecialization));
        Assert.That(compiled.PTXAssembly, Does.Contain($".entry Kernel_{kernel}("));
    }
}
