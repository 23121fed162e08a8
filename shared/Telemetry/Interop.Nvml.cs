using System.Runtime.InteropServices;

namespace Aqs.Shared.Telemetry;

/// <summary>
/// The few NVML calls the telemetry needs, bound to the driver's libnvidia-ml.so.1 (Silk.NET.NVML is not served
/// here). Return codes are nvmlReturn_t: 0 is success.
/// </summary>
internal static unsafe partial class Nvml
{
    private const string Library = "libnvidia-ml.so.1";
    internal const int NVML_CLOCK_GRAPHICS = 0;

    [StructLayout(LayoutKind.Sequential)]
    internal struct Utilization
    {
        public uint Gpu;
        public uint Memory;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct Memory
    {
        public ulong Total;
        public ulong Free;
        public ulong Used;
    }

    [LibraryImport(Library, EntryPoint = "nvmlInit_v2")]
    internal static partial int nvmlInit_v2();

    [LibraryImport(Library, EntryPoint = "nvmlShutdown")]
    internal static partial int nvmlShutdown();

    [LibraryImport(Library, EntryPoint = "nvmlDeviceGetHandleByIndex_v2")]
    internal static partial int nvmlDeviceGetHandleByIndex_v2(uint index, out IntPtr device);

    [LibraryImport(Library, EntryPoint = "nvmlDeviceGetUtilizationRates")]
    internal static partial int nvmlDeviceGetUtilizationRates(IntPtr device, out Utilization utilization);

    [LibraryImport(Library, EntryPoint = "nvmlDeviceGetMemoryInfo")]
    internal static partial int nvmlDeviceGetMemoryInfo(IntPtr device, out Memory memory);

    [LibraryImport(Library, EntryPoint = "nvmlDeviceGetPowerUsage")]
    internal static partial int nvmlDeviceGetPowerUsage(IntPtr device, out uint milliwatts);

    [LibraryImport(Library, EntryPoint = "nvmlDeviceGetClockInfo")]
    internal static partial int nvmlDeviceGetClockInfo(IntPtr device, int type, out uint mhz);
}
