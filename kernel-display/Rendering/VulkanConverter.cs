using System.Runtime.InteropServices;
using Aqs.Shared.Frames;
using Silk.NET.Core.Native;
using Silk.NET.Vulkan;
using VkBuffer = Silk.NET.Vulkan.Buffer;
using VkSemaphore = Silk.NET.Vulkan.Semaphore;

namespace Aqs.Kernel.Display.Rendering;

/// <summary>
/// Planar YUV to packed 8-bit RGBA on a Vulkan device with three compute passes (Shaders/*.comp): convert at the
/// source size (matrix, range, chroma siting), then a separable resampler (horizontal, vertical) to the output size
/// with <see cref="ResampleTable"/> weights; at 1x the convert pass writes the output directly. Buffers are made
/// once per geometry and reused; each call uploads, dispatches and waits (so its time is the whole conversion).
/// Not thread-safe: one thread renders.
/// </summary>
public sealed unsafe class VulkanConverter : IDisposable
{
    private const int Bindings = 8;
    private const uint Group = 16;

    private readonly VulkanDevice _device;
    private readonly Vk _vk;
    private readonly DescriptorSetLayout _setLayout;
    private readonly PipelineLayout _pipelineLayout;
    private readonly Pipeline _convert;
    private readonly Pipeline _scaleX;
    private readonly Pipeline _scaleY;
    private readonly DescriptorPool _pool;
    private readonly DescriptorSet _set;
    private readonly CommandPool _commandPool;
    private readonly CommandBuffer _commands;
    private readonly Fence _fence;
    private readonly GpuBuffer _dummy;
    private GpuBuffer? _input;
    private GpuBuffer? _staging;
    private GpuBuffer? _linear;
    private GpuBuffer? _mid;
    private GpuBuffer? _output;
    private GpuBuffer? _readback;
    private GpuBuffer? _tapsX, _weightsX, _tapsY, _weightsY;
    private (FrameLayout Source, int Width, int Height, ScaleFilter Filter) _geometry;

    public VulkanConverter(VulkanDevice device)
    {
        _device = device;
        _vk = device.Vk;
        var d = device.Device;
        var bindings = stackalloc DescriptorSetLayoutBinding[Bindings];
        for (var i = 0; i < Bindings; i++)
        {
            bindings[i] = new DescriptorSetLayoutBinding
            {
                Binding = (uint)i,
                DescriptorType = DescriptorType.StorageBuffer,
                DescriptorCount = 1,
                StageFlags = ShaderStageFlags.ComputeBit,
            };
        }
        var setInfo = new DescriptorSetLayoutCreateInfo { SType = StructureType.DescriptorSetLayoutCreateInfo, BindingCount = Bindings, PBindings = bindings };
        VulkanDevice.Check(_vk.CreateDescriptorSetLayout(d, in setInfo, null, out _setLayout), "vkCreateDescriptorSetLayout");
        var range = new PushConstantRange { StageFlags = ShaderStageFlags.ComputeBit, Offset = 0, Size = (uint)sizeof(PushConstants) };
        var setLayout = _setLayout;
        var layoutInfo = new PipelineLayoutCreateInfo
        {
            SType = StructureType.PipelineLayoutCreateInfo,
            SetLayoutCount = 1,
            PSetLayouts = &setLayout,
            PushConstantRangeCount = 1,
            PPushConstantRanges = &range,
        };
        VulkanDevice.Check(_vk.CreatePipelineLayout(d, in layoutInfo, null, out _pipelineLayout), "vkCreatePipelineLayout");
        _convert = CreatePipeline("convert");
        _scaleX = CreatePipeline("scale_x");
        _scaleY = CreatePipeline("scale_y");
        var poolSize = new DescriptorPoolSize { Type = DescriptorType.StorageBuffer, DescriptorCount = Bindings };
        var poolInfo = new DescriptorPoolCreateInfo { SType = StructureType.DescriptorPoolCreateInfo, MaxSets = 1, PoolSizeCount = 1, PPoolSizes = &poolSize };
        VulkanDevice.Check(_vk.CreateDescriptorPool(d, in poolInfo, null, out _pool), "vkCreateDescriptorPool");
        var allocInfo = new DescriptorSetAllocateInfo { SType = StructureType.DescriptorSetAllocateInfo, DescriptorPool = _pool, DescriptorSetCount = 1, PSetLayouts = &setLayout };
        VulkanDevice.Check(_vk.AllocateDescriptorSets(d, in allocInfo, out _set), "vkAllocateDescriptorSets");
        var cmdPoolInfo = new CommandPoolCreateInfo
        {
            SType = StructureType.CommandPoolCreateInfo,
            QueueFamilyIndex = device.QueueFamily,
            Flags = CommandPoolCreateFlags.ResetCommandBufferBit,
        };
        VulkanDevice.Check(_vk.CreateCommandPool(d, in cmdPoolInfo, null, out _commandPool), "vkCreateCommandPool");
        var cbInfo = new CommandBufferAllocateInfo { SType = StructureType.CommandBufferAllocateInfo, CommandPool = _commandPool, Level = CommandBufferLevel.Primary, CommandBufferCount = 1 };
        VulkanDevice.Check(_vk.AllocateCommandBuffers(d, in cbInfo, out _commands), "vkAllocateCommandBuffers");
        var fenceInfo = new FenceCreateInfo { SType = StructureType.FenceCreateInfo };
        VulkanDevice.Check(_vk.CreateFence(d, in fenceInfo, null, out _fence), "vkCreateFence");
        _dummy = HostBuffer(16);
    }

    public VulkanDevice Device => _device;

    /// <summary>The converted picture, <c>width × height × 4</c> bytes, on the device (for copies to a swapchain image).</summary>
    public VkBuffer Output => _output?.Buffer ?? throw new InvalidOperationException("nothing converted yet");

    public int OutputWidth => _geometry.Width;
    public int OutputHeight => _geometry.Height;

    /// <summary>
    /// Converts one packed frame to <paramref name="width"/> × <paramref name="height"/> RGBA (BGRA with
    /// <paramref name="bgra"/>) and waits for it. <paramref name="after"/> records more commands into the same
    /// submission (a copy to a window's image), after the output is written.
    /// </summary>
    public void Convert(ReadOnlySpan<byte> packed, FrameLayout layout, YuvColor color, int width, int height, ScaleFilter filter,
        bool bgra = false, Action<CommandBuffer>? after = null, VkSemaphore wait = default, VkSemaphore signal = default)
    {
        if (width < 1 || height < 1 || width > 16384 || height > 16384)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"output size must be 1..16384 in each direction: {width}x{height}");
        }
        Prepare(layout, width, height, filter);
        var upload = _input!.HostVisible ? _input : _staging!;
        packed[..layout.FrameSize].CopyTo(upload.Span);
        var direct = width == layout.Width && height == layout.Height;
        var constants = Constants(layout, color, width, height, direct, bgra);
        var cb = _commands;
        VulkanDevice.Check(_vk.ResetCommandBuffer(cb, 0), "vkResetCommandBuffer");
        var begin = new CommandBufferBeginInfo { SType = StructureType.CommandBufferBeginInfo, Flags = CommandBufferUsageFlags.OneTimeSubmitBit };
        VulkanDevice.Check(_vk.BeginCommandBuffer(cb, in begin), "vkBeginCommandBuffer");
        if (!_input.HostVisible)
        {
            var copy = new BufferCopy(0, 0, (ulong)layout.FrameSize);
            _vk.CmdCopyBuffer(cb, _staging!.Buffer, _input.Buffer, 1, in copy);
            Barrier(cb, PipelineStageFlags.TransferBit, AccessFlags.TransferWriteBit);
        }
        var set = _set;
        _vk.CmdBindDescriptorSets(cb, PipelineBindPoint.Compute, _pipelineLayout, 0, 1, in set, 0, null);
        _vk.CmdPushConstants(cb, _pipelineLayout, ShaderStageFlags.ComputeBit, 0, (uint)sizeof(PushConstants), &constants);
        _vk.CmdBindPipeline(cb, PipelineBindPoint.Compute, _convert);
        // 4:2:0 converts a 2x2 block per invocation (Shaders/convert.comp, block420).
        var block = layout.PlaneCount == 3 && layout.Format.ChromaShiftX() == 1 && layout.Format.ChromaShiftY() == 1 ? 2 : 1;
        _vk.CmdDispatch(cb, Groups((layout.Width + block - 1) / block), Groups((layout.Height + block - 1) / block), 1);
        if (!direct)
        {
            Barrier(cb, PipelineStageFlags.ComputeShaderBit, AccessFlags.ShaderWriteBit);
            _vk.CmdBindPipeline(cb, PipelineBindPoint.Compute, _scaleX);
            _vk.CmdDispatch(cb, Groups(width), Groups(layout.Height), 1);
            Barrier(cb, PipelineStageFlags.ComputeShaderBit, AccessFlags.ShaderWriteBit);
            _vk.CmdBindPipeline(cb, PipelineBindPoint.Compute, _scaleY);
            _vk.CmdDispatch(cb, Groups(width), Groups(height), 1);
        }
        var toTransfer = new MemoryBarrier
        {
            SType = StructureType.MemoryBarrier,
            SrcAccessMask = AccessFlags.ShaderWriteBit,
            DstAccessMask = AccessFlags.TransferReadBit | AccessFlags.HostReadBit,
        };
        _vk.CmdPipelineBarrier(cb, PipelineStageFlags.ComputeShaderBit, PipelineStageFlags.TransferBit | PipelineStageFlags.HostBit, 0, 1, in toTransfer, 0, null, 0, null);
        after?.Invoke(cb);
        VulkanDevice.Check(_vk.EndCommandBuffer(cb), "vkEndCommandBuffer");
        var waitStage = PipelineStageFlags.TransferBit;
        var submit = new SubmitInfo
        {
            SType = StructureType.SubmitInfo,
            CommandBufferCount = 1,
            PCommandBuffers = &cb,
            WaitSemaphoreCount = wait.Handle == 0 ? 0u : 1u,
            PWaitSemaphores = &wait,
            PWaitDstStageMask = &waitStage,
            SignalSemaphoreCount = signal.Handle == 0 ? 0u : 1u,
            PSignalSemaphores = &signal,
        };
        var fence = _fence;
        VulkanDevice.Check(_vk.ResetFences(_device.Device, 1, in fence), "vkResetFences");
        VulkanDevice.Check(_vk.QueueSubmit(_device.Queue, 1, in submit, _fence), "vkQueueSubmit");
        VulkanDevice.Check(_vk.WaitForFences(_device.Device, 1, in fence, true, ulong.MaxValue), "vkWaitForFences");
    }

    /// <summary>Copies the last converted picture out (tight rows of width × 4 bytes).</summary>
    public void ReadBack(Span<byte> rgba)
    {
        var bytes = _geometry.Width * _geometry.Height * 4;
        if (rgba.Length < bytes)
        {
            throw new ArgumentException($"destination of {rgba.Length} bytes is smaller than {bytes}", nameof(rgba));
        }
        if (_output!.HostVisible)
        {
            _output.Span[..bytes].CopyTo(rgba);
            return;
        }
        _readback ??= HostBuffer(_output.Size);
        RunOnce(cb =>
        {
            var copy = new BufferCopy(0, 0, (ulong)bytes);
            _vk.CmdCopyBuffer(cb, _output.Buffer, _readback.Buffer, 1, in copy);
        });
        _readback.Span[..bytes].CopyTo(rgba);
    }

    private void RunOnce(Action<CommandBuffer> record)
    {
        var cb = _commands;
        VulkanDevice.Check(_vk.ResetCommandBuffer(cb, 0), "vkResetCommandBuffer");
        var begin = new CommandBufferBeginInfo { SType = StructureType.CommandBufferBeginInfo, Flags = CommandBufferUsageFlags.OneTimeSubmitBit };
        VulkanDevice.Check(_vk.BeginCommandBuffer(cb, in begin), "vkBeginCommandBuffer");
        record(cb);
        VulkanDevice.Check(_vk.EndCommandBuffer(cb), "vkEndCommandBuffer");
        var submit = new SubmitInfo { SType = StructureType.SubmitInfo, CommandBufferCount = 1, PCommandBuffers = &cb };
        var fence = _fence;
        VulkanDevice.Check(_vk.ResetFences(_device.Device, 1, in fence), "vkResetFences");
        VulkanDevice.Check(_vk.QueueSubmit(_device.Queue, 1, in submit, _fence), "vkQueueSubmit");
        VulkanDevice.Check(_vk.WaitForFences(_device.Device, 1, in fence, true, ulong.MaxValue), "vkWaitForFences");
    }

    private static uint Groups(int size) => ((uint)size + Group - 1) / Group;

    private void Barrier(CommandBuffer cb, PipelineStageFlags after, AccessFlags written)
    {
        var barrier = new MemoryBarrier { SType = StructureType.MemoryBarrier, SrcAccessMask = written, DstAccessMask = AccessFlags.ShaderReadBit };
        _vk.CmdPipelineBarrier(cb, after, PipelineStageFlags.ComputeShaderBit, 0, 1, in barrier, 0, null, 0, null);
    }

    private PushConstants Constants(FrameLayout layout, YuvColor color, int width, int height, bool direct, bool bgra) => new()
    {
        SrcW = layout.Width,
        SrcH = layout.Height,
        DstW = width,
        DstH = height,
        BytesPerSample = layout.Format.BytesPerSample(),
        ShiftX = layout.PlaneCount > 1 ? layout.Format.ChromaShiftX() : 0,
        ShiftY = layout.PlaneCount > 1 ? layout.Format.ChromaShiftY() : 0,
        Planes = layout.PlaneCount,
        Off0 = layout.Offset(0),
        Off1 = layout.PlaneCount > 1 ? layout.Offset(1) : 0,
        Off2 = layout.PlaneCount > 1 ? layout.Offset(2) : 0,
        Stride0 = layout.Stride(0),
        Stride1 = layout.PlaneCount > 1 ? layout.Stride(1) : 0,
        Stride2 = layout.PlaneCount > 1 ? layout.Stride(2) : 0,
        BitDepth = layout.Format.BitDepth(),
        FullRange = color.FullRange ? 1 : 0,
        DirectOut = direct ? 1 : 0,
        SwapRB = bgra ? 1 : 0,
        TapsPerX = _tapsPerX,
        TapsPerY = _tapsPerY,
        Kr = (float)color.Kr,
        Kb = (float)color.Kb,
    };

    private void Prepare(FrameLayout layout, int width, int height, ScaleFilter filter)
    {
        var wanted = (layout, width, height, filter);
        if (_geometry == wanted && _input is not null)
        {
            return;
        }
        _vk.DeviceWaitIdle(_device.Device);
        var direct = width == layout.Width && height == layout.Height;
        Ensure(ref _input, layout.FrameSize, BufferUsageFlags.StorageBufferBit | BufferUsageFlags.TransferDstBit, deviceLocal: true);
        if (!_input!.HostVisible)
        {
            Ensure(ref _staging, layout.FrameSize, BufferUsageFlags.TransferSrcBit, deviceLocal: false);
        }
        Ensure(ref _output, (long)width * height * 4, BufferUsageFlags.StorageBufferBit | BufferUsageFlags.TransferSrcBit, deviceLocal: true);
        if (!direct)
        {
            Ensure(ref _linear, (long)layout.Width * layout.Height * 16, BufferUsageFlags.StorageBufferBit, deviceLocal: true);
            Ensure(ref _mid, (long)width * layout.Height * 16, BufferUsageFlags.StorageBufferBit, deviceLocal: true);
            var x = ResampleTable.Build(layout.Width, width, filter);
            var y = ResampleTable.Build(layout.Height, height, filter);
            Upload(ref _tapsX, MemoryMarshal.AsBytes(x.Index.AsSpan()));
            Upload(ref _weightsX, MemoryMarshal.AsBytes(x.Weights.AsSpan()));
            Upload(ref _tapsY, MemoryMarshal.AsBytes(y.Index.AsSpan()));
            Upload(ref _weightsY, MemoryMarshal.AsBytes(y.Weights.AsSpan()));
            _tapsPerX = x.Taps;
            _tapsPerY = y.Taps;
        }
        _geometry = wanted;
        var buffers = new[] { _input, direct ? _dummy : _linear!, direct ? _dummy : _mid!, _output!, direct ? _dummy : _tapsX!, direct ? _dummy : _weightsX!, direct ? _dummy : _tapsY!, direct ? _dummy : _weightsY! };
        var infos = stackalloc DescriptorBufferInfo[Bindings];
        var writes = stackalloc WriteDescriptorSet[Bindings];
        for (var i = 0; i < Bindings; i++)
        {
            infos[i] = new DescriptorBufferInfo(buffers[i].Buffer, 0, Vk.WholeSize);
            writes[i] = new WriteDescriptorSet
            {
                SType = StructureType.WriteDescriptorSet,
                DstSet = _set,
                DstBinding = (uint)i,
                DescriptorCount = 1,
                DescriptorType = DescriptorType.StorageBuffer,
                PBufferInfo = &infos[i],
            };
        }
        _vk.UpdateDescriptorSets(_device.Device, Bindings, writes, 0, null);
    }

    private int _tapsPerX;
    private int _tapsPerY;

    private void Ensure(ref GpuBuffer? buffer, long size, BufferUsageFlags usage, bool deviceLocal)
    {
        if (buffer is not null && buffer.Size >= size)
        {
            return;
        }
        buffer?.Dispose();
        buffer = deviceLocal
            ? new GpuBuffer(_device, size, usage,
                MemoryPropertyFlags.DeviceLocalBit | MemoryPropertyFlags.HostVisibleBit | MemoryPropertyFlags.HostCoherentBit,
                MemoryPropertyFlags.DeviceLocalBit)
            : new GpuBuffer(_device, size, usage,
                MemoryPropertyFlags.HostVisibleBit | MemoryPropertyFlags.HostCoherentBit,
                MemoryPropertyFlags.HostVisibleBit | MemoryPropertyFlags.HostCoherentBit);
    }

    private GpuBuffer HostBuffer(long size) => new(_device, size, BufferUsageFlags.StorageBufferBit | BufferUsageFlags.TransferDstBit | BufferUsageFlags.TransferSrcBit,
        MemoryPropertyFlags.HostVisibleBit | MemoryPropertyFlags.HostCoherentBit, MemoryPropertyFlags.HostVisibleBit | MemoryPropertyFlags.HostCoherentBit);

    private void Upload(ref GpuBuffer? buffer, ReadOnlySpan<byte> data)
    {
        if (buffer is null || buffer.Size < data.Length)
        {
            buffer?.Dispose();
            buffer = HostBuffer(data.Length);
        }
        data.CopyTo(buffer.Span);
    }

    private Pipeline CreatePipeline(string name)
    {
        var code = VulkanShaders.Load(name);
        ShaderModule module;
        fixed (byte* p = code)
        {
            var info = new ShaderModuleCreateInfo { SType = StructureType.ShaderModuleCreateInfo, CodeSize = (nuint)code.Length, PCode = (uint*)p };
            VulkanDevice.Check(_vk.CreateShaderModule(_device.Device, in info, null, out module), "vkCreateShaderModule");
        }
        var entry = (byte*)SilkMarshal.StringToPtr("main");
        try
        {
            var stage = new PipelineShaderStageCreateInfo
            {
                SType = StructureType.PipelineShaderStageCreateInfo,
                Stage = ShaderStageFlags.ComputeBit,
                Module = module,
                PName = entry,
            };
            var info = new ComputePipelineCreateInfo { SType = StructureType.ComputePipelineCreateInfo, Stage = stage, Layout = _pipelineLayout };
            VulkanDevice.Check(_vk.CreateComputePipelines(_device.Device, default, 1, in info, null, out var pipeline), $"vkCreateComputePipelines({name})");
            return pipeline;
        }
        finally
        {
            SilkMarshal.Free((nint)entry);
            _vk.DestroyShaderModule(_device.Device, module, null);
        }
    }

    public void Dispose()
    {
        var d = _device.Device;
        _vk.DeviceWaitIdle(d);
        foreach (var b in new[] { _input, _staging, _linear, _mid, _output, _readback, _tapsX, _weightsX, _tapsY, _weightsY, _dummy })
        {
            b?.Dispose();
        }
        _vk.DestroyFence(d, _fence, null);
        _vk.DestroyCommandPool(d, _commandPool, null);
        _vk.DestroyDescriptorPool(d, _pool, null);
        _vk.DestroyPipeline(d, _convert, null);
        _vk.DestroyPipeline(d, _scaleX, null);
        _vk.DestroyPipeline(d, _scaleY, null);
        _vk.DestroyPipelineLayout(d, _pipelineLayout, null);
        _vk.DestroyDescriptorSetLayout(d, _setLayout, null);
    }

    /// <summary>Mirrors the push-constant block of Shaders/common.glsl, field for field.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct PushConstants
    {
        public int SrcW, SrcH, DstW, DstH;
        public int BytesPerSample, ShiftX, ShiftY, Planes;
        public int Off0, Off1, Off2, Stride0;
        public int Stride1, Stride2, BitDepth, FullRange;
        public int DirectOut, SwapRB, TapsPerX, TapsPerY;
        public float Kr, Kb;
    }
}
