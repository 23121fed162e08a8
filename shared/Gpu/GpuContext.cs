using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;

namespace Aqs.Shared.Gpu;

/// <summary>
/// One ILGPU context and the accelerator the metrics run on, picked once: CUDA, else OpenCL, else none (the
/// caller stays on the CPU SIMD path). The choice is logged in one line. <see cref="CreateCpu"/> gives
/// ILGPU's CPU accelerator, which runs the same kernels on machines without a GPU (tests).
/// </summary>
public sealed class GpuContext : IDisposable
{
    private readonly Context _context;

    private GpuContext(Context context, Accelerator accelerator)
    {
        _context = context;
        Accelerator = accelerator;
    }

    public Accelerator Accelerator { get; }

    public AcceleratorType Type => Accelerator.AcceleratorType;

    /// <summary>e.g. "Cuda: NVIDIA H100 80GB HBM3 (80 GiB)".</summary>
    public string Description => $"{Accelerator.AcceleratorType}: {Accelerator.Name} ({Accelerator.MemorySize >> 30} GiB)";

    /// <summary>The best GPU present (CUDA before OpenCL), or null when there is none; <paramref name="log"/> hears which.</summary>
    public static GpuContext? TryCreate(Action<string>? log = null)
    {
        Context? context = null;
        try
        {
            context = Context.Create(builder => builder.Cuda().OpenCL());
            var cuda = context.GetCudaDevices();
            var openCl = context.GetCLDevices();
            Device? device = cuda.Count > 0 ? cuda[0] : openCl.Count > 0 ? openCl[0] : null;
            if (device is null)
            {
                log?.Invoke("gpu: no CUDA or OpenCL device found; quality metrics run on the CPU");
                context.Dispose();
                return null;
            }
            var gpu = new GpuContext(context, device.CreateAccelerator(context));
            log?.Invoke($"gpu: quality metrics run on {gpu.Description}");
            return gpu;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A broken driver install must not stop the pipeline: the CPU path is always there.
            log?.Invoke($"gpu: could not start an accelerator ({ex.GetType().Name}: {ex.Message}); quality metrics run on the CPU");
            context?.Dispose();
            return null;
        }
    }

    /// <summary>ILGPU's CPU accelerator: the GPU kernels run on CPU threads (for tests and GPU-less machines).</summary>
    public static GpuContext CreateCpu(Action<string>? log = null)
    {
        var context = Context.Create(builder => builder.CPU());
        var gpu = new GpuContext(context, context.CreateCPUAccelerator(0));
        log?.Invoke($"gpu: quality kernels run on {gpu.Description}");
        return gpu;
    }

    public void Dispose()
    {
        Accelerator.Dispose();
        _context.Dispose();
    }
}
