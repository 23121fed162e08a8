using Aqs.Shared.Frames;

namespace Aqs.Kernel.Display.Rendering;

/// <summary>Picks the renderer the settings ask for; null with <c>--render off</c>.</summary>
public static class RendererFactory
{
    /// <param name="sourceLayout">The source's layout once known (the output size when none is given).</param>
    /// <param name="windowSize">Size of a window opened before the first picture (the render size, or a default).</param>
    public static IFrameRenderer? Create(RenderSettings settings, Func<FrameLayout?> sourceLayout, Action<string> say, (int Width, int Height) windowSize) =>
        settings.Enabled ? VulkanRenderer.Create(settings, sourceLayout, say, windowSize) : null;
}
