using Aqs.Kernel.Display.Pictures;

namespace Aqs.Kernel.Display.Rendering;

/// <summary>Puts a decoded picture on the (real or offscreen) screen. Called from the presenter thread only.</summary>
public interface IFrameRenderer : IDisposable
{
    /// <summary>What renders ("Vulkan on llvmpipe", ...), for the summary.</summary>
    string Device { get; }

    /// <summary>Converts and scales <paramref name="picture"/> to the output and shows it; returns when it is visible.</summary>
    void Render(Picture picture);

    /// <summary>False once the user closed the window.</summary>
    bool IsOpen { get; }
}
