namespace Aqs.Kernel.Display.Rendering;

/// <summary>Picks the renderer the settings ask for; null with <c>--render off</c>.</summary>
public static class RendererFactory
{
    public static IFrameRenderer? Create(RenderSettings settings, Action<string> say)
    {
        _ = say;
        return settings.Enabled ? throw new NotSupportedException("rendering is not built yet") : null;
    }
}
