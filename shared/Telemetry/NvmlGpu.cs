namespace Aqs.Shared.Telemetry;

/// <summary>
/// GPU 0's utilisation, memory, power and graphics clock through NVML, where an NVIDIA driver is installed. Without
/// one, <see cref="TryOpen"/> gives null and says why; a reading that fails later is NaN, never a guess.
/// </summary>
public sealed class NvmlGpu : IDisposable
{
    private readonly IntPtr _device;
    private bool _disposed;

    private NvmlGpu(IntPtr device)
    {
        _device = device;
    }

    public double UtilizationPercent { get; private set; } = double.NaN;
    public double MemoryUsedMb { get; private set; } = double.NaN;
    public double PowerW { get; private set; } = double.NaN;
    public double GraphicsClockMhz { get; private set; } = double.NaN;

    public static NvmlGpu? TryOpen(out string? why)
    {
        try
        {
            if (Nvml.nvmlInit_v2() != 0)
            {
                why = "NVML did not initialise (no NVIDIA driver running)";
                return null;
            }
            if (Nvml.nvmlDeviceGetHandleByIndex_v2(0, out var device) != 0)
            {
                Nvml.nvmlShutdown();
                why = "NVML found no GPU 0";
                return null;
            }
            why = null;
            return new NvmlGpu(device);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            why = "no NVIDIA driver here (libnvidia-ml.so.1 not found)";
            return null;
        }
    }

    public void Sample()
    {
        UtilizationPercent = Nvml.nvmlDeviceGetUtilizationRates(_device, out var u) == 0 ? u.Gpu : double.NaN;
        MemoryUsedMb = Nvml.nvmlDeviceGetMemoryInfo(_device, out var m) == 0 ? m.Used / 1048576.0 : double.NaN;
        PowerW = Nvml.nvmlDeviceGetPowerUsage(_device, out var mw) == 0 ? mw / 1000.0 : double.NaN;
        GraphicsClockMhz = Nvml.nvmlDeviceGetClockInfo(_device, Nvml.NVML_CLOCK_GRAPHICS, out var mhz) == 0 ? mhz : double.NaN;
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            Nvml.nvmlShutdown();
        }
    }
}
