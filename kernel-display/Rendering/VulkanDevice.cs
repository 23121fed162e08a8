using System.Runtime.InteropServices;
using Silk.NET.Core;
using Silk.NET.Core.Native;
using Silk.NET.Vulkan;
using Silk.NET.Vulkan.Extensions.KHR;

namespace Aqs.Kernel.Display.Rendering;

/// <summary>
/// A Vulkan instance, one physical device and a logical device with one queue that can compute (and present, when a
/// window asks for it). The device is the one named by <c>--vulkan-device</c> (a part of its name), else a discrete
/// GPU, then an integrated one, then a CPU implementation (lavapipe). Anything that cannot be created is a
/// <see cref="VulkanUnavailableException"/> with one line naming what to install.
/// </summary>
public sealed unsafe class VulkanDevice : IDisposable
{
    private readonly Vk _vk;
    private readonly Instance _instance;
    private readonly PhysicalDevice _physical;
    private readonly Device _device;
    private readonly PhysicalDeviceMemoryProperties _memory;

    private VulkanDevice(Vk vk, Instance instance, PhysicalDevice physical, Device device, uint queueFamily, string name, PhysicalDeviceType type,
        KhrSurface? surfaces, SurfaceKHR surface)
    {
        Surfaces = surfaces;
        Surface = surface;
        _vk = vk;
        _instance = instance;
        _physical = physical;
        _device = device;
        QueueFamily = queueFamily;
        Name = name;
        Type = type;
        _vk.GetDeviceQueue(device, queueFamily, 0, out var queue);
        Queue = queue;
        _vk.GetPhysicalDeviceMemoryProperties(physical, out _memory);
    }

    public Vk Vk => _vk;
    public Instance Instance => _instance;
    public PhysicalDevice Physical => _physical;
    public Device Device => _device;
    public Queue Queue { get; }
    public uint QueueFamily { get; }
    public string Name { get; }

    /// <summary>The window's surface and its extension, when the device was made for a window.</summary>
    public KhrSurface? Surfaces { get; }
    public SurfaceKHR Surface { get; }
    public PhysicalDeviceType Type { get; }

    /// <summary>"Vulkan on NAME (cpu|discrete gpu|...)" for summaries.</summary>
    public string Description => $"Vulkan on {Name} ({Type switch { PhysicalDeviceType.Cpu => "CPU", PhysicalDeviceType.DiscreteGpu => "discrete GPU", PhysicalDeviceType.IntegratedGpu => "integrated GPU", _ => Type.ToString() }})";

    /// <summary>Every Vulkan device here that can compute (name, kind); empty when Vulkan cannot start.</summary>
    public static List<(string Name, PhysicalDeviceType Type)> List()
    {
        try
        {
            using var vk = Vk.GetApi();
            var instance = CreateInstance(vk, []);
            try
            {
                uint count = 0;
                vk.EnumeratePhysicalDevices(instance, ref count, null);
                var devices = new PhysicalDevice[count];
                fixed (PhysicalDevice* p = devices)
                {
                    vk.EnumeratePhysicalDevices(instance, ref count, p);
                }
                return devices.Select(d =>
                {
                    vk.GetPhysicalDeviceProperties(d, out var props);
                    return (SilkMarshal.PtrToString((nint)props.DeviceName) ?? "?", props.DeviceType);
                }).ToList();
            }
            finally
            {
                vk.DestroyInstance(instance, null);
            }
        }
        catch (Exception ex) when (ex is VulkanUnavailableException or DllNotFoundException or FileNotFoundException)
        {
            return [];
        }
    }

    /// <param name="window">When given, the device's queue must also present to this window (Xlib surface).</param>
    public static VulkanDevice Create(string? deviceFilter = null, X11Window? window = null)
    {
        Vk vk;
        try
        {
            vk = Vk.GetApi();
        }
        catch (Exception ex) when (ex is DllNotFoundException or FileNotFoundException or InvalidOperationException or EntryPointNotFoundException)
        {
            throw new VulkanUnavailableException($"no Vulkan loader (libvulkan.so.1): {VulkanUnavailableException.InstallHint}");
        }
        var instance = CreateInstance(vk, window is null ? [] : ["VK_KHR_surface", "VK_KHR_xlib_surface"]);
        KhrSurface? surfaces = null;
        var surface = default(SurfaceKHR);
        try
        {
            Func<PhysicalDevice, uint, bool>? canPresent = null;
            if (window is not null)
            {
                if (!vk.TryGetInstanceExtension(instance, out KhrXlibSurface xlib) || !vk.TryGetInstanceExtension(instance, out KhrSurface khrSurface))
                {
                    throw new VulkanUnavailableException($"the Vulkan driver cannot present to X11 windows: {VulkanUnavailableException.InstallHint}");
                }
                surfaces = khrSurface;
                var info = new XlibSurfaceCreateInfoKHR
                {
                    SType = StructureType.XlibSurfaceCreateInfoKhr,
                    Dpy = (nint*)window.Display,
                    Window = window.Handle,
                };
                Check(xlib.CreateXlibSurface(instance, in info, null, out surface), "vkCreateXlibSurfaceKHR");
                var s = surface;
                canPresent = (device, family) => khrSurface.GetPhysicalDeviceSurfaceSupport(device, family, s, out var supported) == Result.Success && supported;
            }
            var (physical, family, name, type) = PickDevice(vk, instance, deviceFilter, canPresent);
            var device = CreateDevice(vk, physical, family, window is not null);
            return new VulkanDevice(vk, instance, physical, device, family, name, type, surfaces, surface);
        }
        catch
        {
            if (surfaces is not null && surface.Handle != 0)
            {
                surfaces.DestroySurface(instance, surface, null);
            }
            vk.DestroyInstance(instance, null);
            throw;
        }
    }

    private static Instance CreateInstance(Vk vk, string[] extensions)
    {
        var appName = (byte*)SilkMarshal.StringToPtr("aqs kernel-display");
        var names = (byte**)SilkMarshal.StringArrayToPtr(extensions);
        try
        {
            var app = new ApplicationInfo
            {
                SType = StructureType.ApplicationInfo,
                PApplicationName = appName,
                ApplicationVersion = new Version32(1, 0, 0),
                PEngineName = appName,
                EngineVersion = new Version32(1, 0, 0),
                ApiVersion = Vk.Version11,
            };
            var info = new InstanceCreateInfo
            {
                SType = StructureType.InstanceCreateInfo,
                PApplicationInfo = &app,
                EnabledExtensionCount = (uint)extensions.Length,
                PpEnabledExtensionNames = names,
            };
            var result = vk.CreateInstance(in info, null, out var instance);
            if (result != Result.Success)
            {
                var what = result == Result.ErrorExtensionNotPresent
                    ? $"the Vulkan driver lacks {string.Join(", ", extensions)} (a window needs an X display and a driver with surface support)"
                    : $"no Vulkan driver could start ({result})";
                throw new VulkanUnavailableException($"{what}: {VulkanUnavailableException.InstallHint}");
            }
            return instance;
        }
        finally
        {
            SilkMarshal.Free((nint)appName);
            SilkMarshal.Free((nint)names);
        }
    }

    private static (PhysicalDevice, uint, string, PhysicalDeviceType) PickDevice(Vk vk, Instance instance, string? filter, Func<PhysicalDevice, uint, bool>? canPresent)
    {
        uint count = 0;
        vk.EnumeratePhysicalDevices(instance, ref count, null);
        if (count == 0)
        {
            throw new VulkanUnavailableException($"the Vulkan loader found no device: {VulkanUnavailableException.InstallHint}");
        }
        var devices = new PhysicalDevice[count];
        fixed (PhysicalDevice* p = devices)
        {
            vk.EnumeratePhysicalDevices(instance, ref count, p);
        }
        var candidates = new List<(PhysicalDevice Device, uint Family, string Name, PhysicalDeviceType Type)>();
        foreach (var device in devices)
        {
            vk.GetPhysicalDeviceProperties(device, out var props);
            var name = SilkMarshal.PtrToString((nint)props.DeviceName) ?? "?";
            uint families = 0;
            vk.GetPhysicalDeviceQueueFamilyProperties(device, ref families, null);
            var list = new QueueFamilyProperties[families];
            fixed (QueueFamilyProperties* f = list)
            {
                vk.GetPhysicalDeviceQueueFamilyProperties(device, ref families, f);
            }
            for (uint i = 0; i < families; i++)
            {
                if ((list[i].QueueFlags & QueueFlags.ComputeBit) != 0 && (canPresent is null || canPresent(device, i)))
                {
                    candidates.Add((device, i, name, props.DeviceType));
                    break;
                }
            }
        }
        if (filter is not null)
        {
            var named = candidates.Where(c => c.Name.Contains(filter, StringComparison.OrdinalIgnoreCase)).ToList();
            if (named.Count == 0)
            {
                throw new VulkanUnavailableException($"--vulkan-device: no Vulkan device named like '{filter}'; there are: {string.Join(", ", candidates.Select(c => c.Name))}");
            }
            candidates = named;
        }
        if (candidates.Count == 0)
        {
            throw new VulkanUnavailableException($"no Vulkan device can compute{(canPresent is null ? "" : " and present to the window")}: {VulkanUnavailableException.InstallHint}");
        }
        static int Rank(PhysicalDeviceType t) => t switch
        {
            PhysicalDeviceType.DiscreteGpu => 0,
            PhysicalDeviceType.IntegratedGpu => 1,
            PhysicalDeviceType.VirtualGpu => 2,
            PhysicalDeviceType.Cpu => 3,
            _ => 4,
        };
        var best = candidates.OrderBy(c => Rank(c.Type)).First();
        return (best.Device, best.Family, best.Name, best.Type);
    }

    private static Device CreateDevice(Vk vk, PhysicalDevice physical, uint family, bool swapchain)
    {
        var priority = 1f;
        var queue = new DeviceQueueCreateInfo
        {
            SType = StructureType.DeviceQueueCreateInfo,
            QueueFamilyIndex = family,
            QueueCount = 1,
            PQueuePriorities = &priority,
        };
        var extensions = swapchain ? new[] { "VK_KHR_swapchain" } : [];
        var names = (byte**)SilkMarshal.StringArrayToPtr(extensions);
        try
        {
            var info = new DeviceCreateInfo
            {
                SType = StructureType.DeviceCreateInfo,
                QueueCreateInfoCount = 1,
                PQueueCreateInfos = &queue,
                EnabledExtensionCount = (uint)extensions.Length,
                PpEnabledExtensionNames = names,
            };
            var result = vk.CreateDevice(physical, in info, null, out var device);
            if (result != Result.Success)
            {
                throw new VulkanUnavailableException($"the Vulkan device could not be opened ({result}): {VulkanUnavailableException.InstallHint}");
            }
            return device;
        }
        finally
        {
            SilkMarshal.Free((nint)names);
        }
    }

    /// <summary>A memory type that <paramref name="typeBits"/> allows with all of <paramref name="wanted"/>; -1 when none.</summary>
    public int FindMemory(uint typeBits, MemoryPropertyFlags wanted)
    {
        for (var i = 0; i < _memory.MemoryTypeCount; i++)
        {
            if ((typeBits & (1u << i)) != 0 && (_memory.MemoryTypes[i].PropertyFlags & wanted) == wanted)
            {
                return i;
            }
        }
        return -1;
    }

    public static void Check(Result result, string call)
    {
        if (result != Result.Success)
        {
            throw new InvalidOperationException($"{call} failed: {result}");
        }
    }

    public void Dispose()
    {
        _vk.DeviceWaitIdle(_device);
        _vk.DestroyDevice(_device, null);
        if (Surfaces is not null)
        {
            Surfaces.DestroySurface(_instance, Surface, null);
        }
        _vk.DestroyInstance(_instance, null);
        _vk.Dispose();
    }
}
