using Silk.NET.Vulkan;
using Silk.NET.Vulkan.Extensions.KHR;
using VkSemaphore = Silk.NET.Vulkan.Semaphore;

namespace Aqs.Kernel.Display.Rendering;

/// <summary>How a window's swapchain hands pictures to the display (Vulkan's present modes).</summary>
public enum PresentMode
{
    /// <summary>Wait for vertical blank, never tear (always supported).</summary>
    Fifo,
    /// <summary>Replace the queued picture with a newer one; no tearing, lower latency.</summary>
    Mailbox,
    /// <summary>Show at once; may tear.</summary>
    Immediate,
}

/// <summary>
/// The window's swapchain: each converted picture is copied from the converter's output buffer into the acquired
/// image (transfer, so any 8-bit UNORM format works; BGRA formats get the channels swapped in the shader) and
/// presented. Recreated when the window's surface changes (out of date).
/// </summary>
public sealed unsafe class VulkanSwapchain : IDisposable
{
    private readonly VulkanDevice _device;
    private readonly KhrSwapchain _khr;
    private readonly PresentModeKHR _mode;
    private readonly VkSemaphore _acquired;
    private readonly VkSemaphore _rendered;
    private SwapchainKHR _swapchain;
    private Image[] _images = [];

    public VulkanSwapchain(VulkanDevice device, PresentMode mode, Action<string> say)
    {
        _device = device;
        if (!device.Vk.TryGetDeviceExtension(device.Instance, device.Device, out _khr))
        {
            throw new VulkanUnavailableException($"the Vulkan device has no swapchain: {VulkanUnavailableException.InstallHint}");
        }
        var wanted = mode switch
        {
            PresentMode.Mailbox => PresentModeKHR.MailboxKhr,
            PresentMode.Immediate => PresentModeKHR.ImmediateKhr,
            _ => PresentModeKHR.FifoKhr,
        };
        uint count = 0;
        device.Surfaces!.GetPhysicalDeviceSurfacePresentModes(device.Physical, device.Surface, ref count, null);
        var modes = new PresentModeKHR[count];
        fixed (PresentModeKHR* m = modes)
        {
            device.Surfaces.GetPhysicalDeviceSurfacePresentModes(device.Physical, device.Surface, ref count, m);
        }
        _mode = modes.Contains(wanted) ? wanted : PresentModeKHR.FifoKhr;
        if (_mode != wanted)
        {
            say($"present mode {mode} is not supported here; using fifo");
        }
        var semaphore = new SemaphoreCreateInfo { SType = StructureType.SemaphoreCreateInfo };
        VulkanDevice.Check(device.Vk.CreateSemaphore(device.Device, in semaphore, null, out _acquired), "vkCreateSemaphore");
        VulkanDevice.Check(device.Vk.CreateSemaphore(device.Device, in semaphore, null, out _rendered), "vkCreateSemaphore");
        Create();
    }

    public int Width { get; private set; }
    public int Height { get; private set; }
    /// <summary>True when the images are BGRA (the shader swaps red and blue).</summary>
    public bool Bgra { get; private set; }
    public PresentModeKHR Mode => _mode;

    /// <summary>Converts and shows one picture (the converter's <see cref="VulkanConverter.Convert"/> with the copy and present around it).</summary>
    public void Present(Action<bool, Action<CommandBuffer>, VkSemaphore, VkSemaphore> convert)
    {
        uint index = 0;
        var result = _khr.AcquireNextImage(_device.Device, _swapchain, ulong.MaxValue, _acquired, default, ref index);
        if (result == Result.ErrorOutOfDateKhr)
        {
            Recreate();
            result = _khr.AcquireNextImage(_device.Device, _swapchain, ulong.MaxValue, _acquired, default, ref index);
        }
        if (result != Result.Success && result != Result.SuboptimalKhr)
        {
            throw new InvalidOperationException($"vkAcquireNextImageKHR failed: {result}");
        }
        var image = _images[index];
        convert(Bgra, cb => CopyInto(cb, image), _acquired, _rendered);
        var swapchain = _swapchain;
        var rendered = _rendered;
        var present = new PresentInfoKHR
        {
            SType = StructureType.PresentInfoKhr,
            WaitSemaphoreCount = 1,
            PWaitSemaphores = &rendered,
            SwapchainCount = 1,
            PSwapchains = &swapchain,
            PImageIndices = &index,
        };
        result = _khr.QueuePresent(_device.Queue, in present);
        if (result is Result.ErrorOutOfDateKhr or Result.SuboptimalKhr)
        {
            Recreate();
        }
        else if (result != Result.Success)
        {
            throw new InvalidOperationException($"vkQueuePresentKHR failed: {result}");
        }
    }

    private VulkanConverter? _source;

    /// <summary>Binds the converter whose output the next presents copy (called once by the renderer).</summary>
    public void Use(VulkanConverter converter) => _source = converter;

    /// <summary>The converter's output buffer (width × height × 4 bytes, this swapchain's size) into the image.</summary>
    private void CopyInto(CommandBuffer cb, Image image)
    {
        var converter = _source ?? throw new InvalidOperationException("VulkanSwapchain.Use was not called");
        var vk = _device.Vk;
        var range = new ImageSubresourceRange(ImageAspectFlags.ColorBit, 0, 1, 0, 1);
        var toTransfer = new ImageMemoryBarrier
        {
            SType = StructureType.ImageMemoryBarrier,
            SrcAccessMask = 0,
            DstAccessMask = AccessFlags.TransferWriteBit,
            OldLayout = ImageLayout.Undefined,
            NewLayout = ImageLayout.TransferDstOptimal,
            SrcQueueFamilyIndex = Vk.QueueFamilyIgnored,
            DstQueueFamilyIndex = Vk.QueueFamilyIgnored,
            Image = image,
            SubresourceRange = range,
        };
        vk.CmdPipelineBarrier(cb, PipelineStageFlags.TopOfPipeBit, PipelineStageFlags.TransferBit, 0, 0, null, 0, null, 1, in toTransfer);
        var region = new BufferImageCopy
        {
            BufferOffset = 0,
            BufferRowLength = 0,
            BufferImageHeight = 0,
            ImageSubresource = new ImageSubresourceLayers(ImageAspectFlags.ColorBit, 0, 0, 1),
            ImageOffset = new Offset3D(0, 0, 0),
            ImageExtent = new Extent3D((uint)Width, (uint)Height, 1),
        };
        vk.CmdCopyBufferToImage(cb, converter.Output, image, ImageLayout.TransferDstOptimal, 1, in region);
        var toPresent = toTransfer with
        {
            SrcAccessMask = AccessFlags.TransferWriteBit,
            DstAccessMask = 0,
            OldLayout = ImageLayout.TransferDstOptimal,
            NewLayout = ImageLayout.PresentSrcKhr,
        };
        vk.CmdPipelineBarrier(cb, PipelineStageFlags.TransferBit, PipelineStageFlags.BottomOfPipeBit, 0, 0, null, 0, null, 1, in toPresent);
    }

    private void Recreate()
    {
        _device.Vk.DeviceWaitIdle(_device.Device);
        Create();
    }

    private void Create()
    {
        var surfaces = _device.Surfaces!;
        surfaces.GetPhysicalDeviceSurfaceCapabilities(_device.Physical, _device.Surface, out var caps);
        if ((caps.SupportedUsageFlags & ImageUsageFlags.TransferDstBit) == 0)
        {
            throw new VulkanUnavailableException("the window's surface does not accept copies (no TRANSFER_DST usage); use headless rendering");
        }
        uint count = 0;
        surfaces.GetPhysicalDeviceSurfaceFormats(_device.Physical, _device.Surface, ref count, null);
        var formats = new SurfaceFormatKHR[count];
        fixed (SurfaceFormatKHR* f = formats)
        {
            surfaces.GetPhysicalDeviceSurfaceFormats(_device.Physical, _device.Surface, ref count, f);
        }
        // UNORM, not SRGB: the shader's values are already gamma-encoded and must land unchanged.
        var format = formats.FirstOrDefault(f => f.Format == Format.B8G8R8A8Unorm);
        if (format.Format == Format.Undefined)
        {
            format = formats.FirstOrDefault(f => f.Format == Format.R8G8B8A8Unorm);
        }
        if (format.Format == Format.Undefined)
        {
            throw new VulkanUnavailableException($"the window offers no 8-bit UNORM format ({string.Join(", ", formats.Select(f => f.Format))})");
        }
        Bgra = format.Format == Format.B8G8R8A8Unorm;
        Width = (int)caps.CurrentExtent.Width;
        Height = (int)caps.CurrentExtent.Height;
        var images = Math.Max(caps.MinImageCount, 2);
        if (caps.MaxImageCount > 0)
        {
            images = Math.Min(images, caps.MaxImageCount);
        }
        var old = _swapchain;
        var info = new SwapchainCreateInfoKHR
        {
            SType = StructureType.SwapchainCreateInfoKhr,
            Surface = _device.Surface,
            MinImageCount = images,
            ImageFormat = format.Format,
            ImageColorSpace = format.ColorSpace,
            ImageExtent = caps.CurrentExtent,
            ImageArrayLayers = 1,
            ImageUsage = ImageUsageFlags.TransferDstBit,
            ImageSharingMode = SharingMode.Exclusive,
            PreTransform = caps.CurrentTransform,
            CompositeAlpha = CompositeAlphaFlagsKHR.OpaqueBitKhr,
            PresentMode = _mode,
            Clipped = true,
            OldSwapchain = old,
        };
        VulkanDevice.Check(_khr.CreateSwapchain(_device.Device, in info, null, out _swapchain), "vkCreateSwapchainKHR");
        if (old.Handle != 0)
        {
            _khr.DestroySwapchain(_device.Device, old, null);
        }
        uint n = 0;
        _khr.GetSwapchainImages(_device.Device, _swapchain, ref n, null);
        _images = new Image[n];
        fixed (Image* i = _images)
        {
            _khr.GetSwapchainImages(_device.Device, _swapchain, ref n, i);
        }
    }

    public void Dispose()
    {
        var vk = _device.Vk;
        vk.DeviceWaitIdle(_device.Device);
        _khr.DestroySwapchain(_device.Device, _swapchain, null);
        vk.DestroySemaphore(_device.Device, _acquired, null);
        vk.DestroySemaphore(_device.Device, _rendered, null);
    }
}
