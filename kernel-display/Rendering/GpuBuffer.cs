using Silk.NET.Vulkan;
using VkBuffer = Silk.NET.Vulkan.Buffer;

namespace Aqs.Kernel.Display.Rendering;

/// <summary>
/// A storage buffer and its memory. Host-visible buffers stay mapped (<see cref="Span"/>); device-local ones are
/// reached by copies. On a CPU device (lavapipe) or a unified-memory GPU, device-local memory is host-visible too,
/// and uploads need no staging copy.
/// </summary>
public sealed unsafe class GpuBuffer : IDisposable
{
    private readonly VulkanDevice _device;
    private readonly DeviceMemory _memory;
    private readonly void* _mapped;

    public GpuBuffer(VulkanDevice device, long size, BufferUsageFlags usage, MemoryPropertyFlags wanted, MemoryPropertyFlags fallback)
    {
        _device = device;
        Size = Math.Max(16, (size + 15) & ~15L);
        var vk = device.Vk;
        var info = new BufferCreateInfo
        {
            SType = StructureType.BufferCreateInfo,
            Size = (ulong)Size,
            Usage = usage,
            SharingMode = SharingMode.Exclusive,
        };
        VulkanDevice.Check(vk.CreateBuffer(device.Device, in info, null, out var buffer), "vkCreateBuffer");
        Buffer = buffer;
        vk.GetBufferMemoryRequirements(device.Device, buffer, out var requirements);
        var type = device.FindMemory(requirements.MemoryTypeBits, wanted);
        if (type < 0)
        {
            type = device.FindMemory(requirements.MemoryTypeBits, fallback);
        }
        if (type < 0)
        {
            vk.DestroyBuffer(device.Device, buffer, null);
            throw new InvalidOperationException($"no Vulkan memory type for a {Size}-byte buffer ({wanted} or {fallback})");
        }
        vk.GetPhysicalDeviceMemoryProperties(device.Physical, out var props);
        Flags = props.MemoryTypes[type].PropertyFlags;
        var allocate = new MemoryAllocateInfo
        {
            SType = StructureType.MemoryAllocateInfo,
            AllocationSize = requirements.Size,
            MemoryTypeIndex = (uint)type,
        };
        var result = vk.AllocateMemory(device.Device, in allocate, null, out _memory);
        if (result != Result.Success)
        {
            vk.DestroyBuffer(device.Device, buffer, null);
            throw new InvalidOperationException($"vkAllocateMemory of {requirements.Size} bytes failed: {result}");
        }
        VulkanDevice.Check(vk.BindBufferMemory(device.Device, buffer, _memory, 0), "vkBindBufferMemory");
        if ((Flags & MemoryPropertyFlags.HostVisibleBit) != 0)
        {
            void* mapped;
            VulkanDevice.Check(vk.MapMemory(device.Device, _memory, 0, Vk.WholeSize, 0, &mapped), "vkMapMemory");
            _mapped = mapped;
        }
    }

    public VkBuffer Buffer { get; }
    public long Size { get; }
    public MemoryPropertyFlags Flags { get; }
    public bool HostVisible => _mapped is not null;
    public bool HostCoherent => (Flags & MemoryPropertyFlags.HostCoherentBit) != 0;

    public Span<byte> Span => _mapped is null
        ? throw new InvalidOperationException("the buffer is not host-visible")
        : new Span<byte>(_mapped, checked((int)Math.Min(Size, int.MaxValue)));

    public void Dispose()
    {
        var vk = _device.Vk;
        if (_mapped is not null)
        {
            vk.UnmapMemory(_device.Device, _memory);
        }
        vk.DestroyBuffer(_device.Device, Buffer, null);
        vk.FreeMemory(_device.Device, _memory, null);
    }
}
