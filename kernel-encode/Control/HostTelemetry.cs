using Aqs.Engine;
using Aqs.Shared.Telemetry;

namespace Aqs.Kernel.Encode.Control;

/// <summary>
/// The machine's load for the engine, sampled every 250 ms: this process's and the machine's CPU (/proc), package
/// power (RAPL) and GPU 0 (NVML) where readable, and the rings' fill. What cannot be read is said once at start and
/// reported as NaN.
/// </summary>
public sealed class HostTelemetry : IDisposable
{
    private const long IntervalNs = 250_000_000;
    private readonly CpuUsage _cpu = new();
    private readonly RaplPower _rapl = new();
    private readonly NvmlGpu? _gpu;
    // Far enough back for the first call to sample, near enough that "now - it" cannot overflow.
    private long _lastNs = long.MinValue / 2;

    public HostTelemetry(Action<string> log)
    {
        _gpu = NvmlGpu.TryOpen(out var why);
        log($"telemetry: cpu from /proc; power {(_rapl.Available ? "from RAPL" : "unavailable: " + _rapl.Why)}; gpu {(_gpu is null ? "unavailable: " + why : "from NVML")}");
    }

    public bool NvidiaGpu => _gpu is not null;

    /// <summary>A fresh sample when the interval has passed, else null.</summary>
    public HardwareSample? Sample(long nowNs, double inputFill, double outputFill)
    {
        if (nowNs - _lastNs < IntervalNs)
        {
            return null;
        }
        _lastNs = nowNs;
        _cpu.Sample(nowNs);
        _rapl.Sample(nowNs);
        _gpu?.Sample();
        return new HardwareSample
        {
            TimestampNs = nowNs,
            InputQueueFill = inputFill,
            OutputQueueFill = outputFill,
            ProcessCpuCores = _cpu.ProcessCores,
            MachineCpu = _cpu.Machine,
            PackagePowerW = _rapl.Watts,
            GpuUtilization = _gpu?.UtilizationPercent / 100 ?? double.NaN,
            GpuMemoryUsedMb = _gpu?.MemoryUsedMb ?? double.NaN,
            GpuPowerW = _gpu?.PowerW ?? double.NaN,
            GpuClockMhz = _gpu?.GraphicsClockMhz ?? double.NaN,
        };
    }

    public void Dispose() => _gpu?.Dispose();
}
