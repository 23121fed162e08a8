using Aqs.Kernel.Display.Pictures;

namespace Aqs.Kernel.Display.Rendering;

/// <summary>Puts a decoded picture on the (real or offscreen) screen. Called from the presenter thread only.</summary>
public interface IFrameRenderer : IDisposable
{
    /// <summary>What renders ("Vulkan on llvmpipe", ...), for the summary.</summary>
    string Device { get; }

    /// <summary>Converts and scales <paramref name="picture"/> to the output and shows it; returns when it is visible.</summary>
    void Render(Picture picture);

    /// <summary>True when nothing is shown (offscreen): rendering may then run beside the presenter, sampled.</summary>
    bool Offscreen { get; }

    /// <summary>True when the device is a CPU implementation (lavapipe): rendering costs CPU the pipeline needs.</summary>
    bool OnCpu { get; }

    /// <summary>False once the user closed the window.</summary>
    bool IsOpen { get; }
}
