namespace Aqs.Engine;

/// <summary>
/// The host's load, sampled every few hundred ms. A figure the host could not read is NaN ("unavailable"), never
/// a guess; the engine only acts on what it was given.
/// </summary>
public readonly record struct HardwareSample
{
    public long TimestampNs { get; init; }
    /// <summary>How full the encoder's input ring is, 0..1 (seed 10.2: above 0.9 the engine sheds load).</summary>
    public double InputQueueFill { get; init; }
    /// <summary>How full the encoder's output ring is, 0..1.</summary>
    public double OutputQueueFill { get; init; }
    /// <summary>This process's CPU use, in cores (1.5 = one and a half cores busy).</summary>
    public double ProcessCpuCores { get; init; }
    /// <summary>The whole machine's CPU use, 0..1.</summary>
    public double MachineCpu { get; init; }
    public double GpuUtilization { get; init; }
    public double GpuMemoryUsedMb { get; init; }
    public double GpuPowerW { get; init; }
    public double GpuClockMhz { get; init; }
    /// <summary>CPU package power from RAPL, W.</summary>
    public double PackagePowerW { get; init; }

    public static HardwareSample Unavailable(long nowNs) => new()
    {
        TimestampNs = nowNs, InputQueueFill = double.NaN, OutputQueueFill = double.NaN, ProcessCpuCores = double.NaN,
        MachineCpu = double.NaN, GpuUtilization = double.NaN, GpuMemoryUsedMb = double.NaN, GpuPowerW = double.NaN,
        GpuClockMhz = double.NaN, PackagePowerW = double.NaN,
    };
}
