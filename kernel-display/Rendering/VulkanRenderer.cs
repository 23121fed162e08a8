using Aqs.Kernel.Display.Pictures;
using Aqs.Shared.Frames;

namespace Aqs.Kernel.Display.Rendering;

/// <summary>
/// Renders each presented picture through Vulkan: headless into an offscreen buffer by default, or into a window
/// (<c>--window</c>). The output is the source's size unless <c>--render-size</c> says otherwise, so a picture
/// from a lower rung is scaled back up (at most <see cref="RenderSettings.MaxUpscale"/>x). Every Nth picture can be
/// written as a PNG. Only the presenter thread calls it.
/// </summary>
public sealed class VulkanRenderer : IFrameRenderer
{
    private readonly RenderSettings _settings;
    private readonly Func<FrameLayout?> _sourceLayout;
    private readonly Action<string> _say;
    private readonly X11Window? _window;
    private readonly VulkanDevice _device;
    private readonly VulkanConverter _converter;
    private readonly VulkanSwapchain? _swapchain;
    private long _rendered;
    private bool _clampNoted;
    private long _lastSnapshotStretch = -1;

    private VulkanRenderer(RenderSettings settings, Func<FrameLayout?> sourceLayout, Action<string> say, X11Window? window, VulkanDevice device)
    {
        _settings = settings;
        _sourceLayout = sourceLayout;
        _say = say;
        _window = window;
        _device = device;
        _converter = new VulkanConverter(device);
        if (window is not null)
        {
            _swapchain = new VulkanSwapchain(device, settings.PresentMode, say);
            _swapchain.Use(_converter);
        }
    }

    /// <param name="windowSize">The window's size when <see cref="RenderSettings.Window"/> (the render size, or the source's).</param>
    public static VulkanRenderer Create(RenderSettings settings, Func<FrameLayout?> sourceLayout, Action<string> say, (int Width, int Height) windowSize)
    {
        var window = settings.Window ? X11Window.Open(windowSize.Width, windowSize.Height, "AQS Quad", settings.XDisplay) : null;
        try
        {
            var device = VulkanDevice.Create(settings.Device, window);
            return new VulkanRenderer(settings, sourceLayout, say, window, device);
        }
        catch
        {
            window?.Dispose();
            throw;
        }
    }

    public string Device => _device.Description + (_swapchain is null ? ", offscreen" : $", window, {_swapchain.Mode}");

    public bool IsOpen => _window is null || !_window.Closed;

    public bool Offscreen => _swapchain is null;

    public bool OnCpu => _device.Type == Silk.NET.Vulkan.PhysicalDeviceType.Cpu;

    public long Rendered => _rendered;

    /// <summary>Reads the last rendered picture back (RGBA rows of its output size); tests and snapshots.</summary>
    public byte[] ReadBack(out int width, out int height)
    {
        width = _converter.OutputWidth;
        height = _converter.OutputHeight;
        var rgba = new byte[width * height * 4];
        _converter.ReadBack(rgba);
        if (_swapchain is { Bgra: true })
        {
            SwapRedBlue(rgba);
        }
        return rgba;
    }

    /// <summary>Snapshots written so far, newest last.</summary>
    public List<string> Snapshots { get; } = [];

    public void Render(Picture picture)
    {
        var layout = picture.Layout;
        var color = YuvColor.From(picture.Color, _sourceLayout()?.Height ?? layout.Height);
        if (_swapchain is not null)
        {
            _window!.Pump();
            _swapchain.Present((bgra, after, wait, signal) =>
                _converter.Convert(picture.Data, layout, color, _swapchain.Width, _swapchain.Height, _settings.Filter, bgra, after, wait, signal));
        }
        else
        {
            var (width, height) = OutputSize(layout);
            _converter.Convert(picture.Data, layout, color, width, height, _settings.Filter);
        }
        _rendered++;
        // One snapshot per N frames of the stream (by frame id): the first picture rendered in each stretch, so
        // sampled offscreen rendering still leaves one every N frames.
        if (_settings.SnapshotEvery > 0 && picture.FrameId / _settings.SnapshotEvery != _lastSnapshotStretch)
        {
            _lastSnapshotStretch = picture.FrameId / _settings.SnapshotEvery;
            Snapshot(picture.FrameId);
        }
    }

    private (int Width, int Height) OutputSize(FrameLayout picture)
    {
        var (width, height) = _settings.Size ?? (_sourceLayout() is { } source ? (source.Width, source.Height) : (picture.Width, picture.Height));
        var max = RenderSettings.MaxUpscale;
        if (width > picture.Width * max || height > picture.Height * max)
        {
            if (!_clampNoted)
            {
                _clampNoted = true;
                _say($"render size {width}x{height} is more than {max}x the {picture.Width}x{picture.Height} picture; rendering at {max}x");
            }
            width = Math.Min(width, picture.Width * max);
            height = Math.Min(height, picture.Height * max);
        }
        return (width, height);
    }

    private void Snapshot(long frameId)
    {
        var rgba = ReadBack(out var width, out var height);
        Snapshots.Add(SnapshotWriter.Write(_settings.SnapshotDirectory, frameId, rgba, width, height));
    }

    private static void SwapRedBlue(Span<byte> pixels)
    {
        for (var i = 0; i < pixels.Length; i += 4)
        {
            (pixels[i], pixels[i + 2]) = (pixels[i + 2], pixels[i]);
        }
    }

    public void Dispose()
    {
        _swapchain?.Dispose();
        _converter.Dispose();
        _device.Dispose();
        _window?.Dispose();
    }
}
