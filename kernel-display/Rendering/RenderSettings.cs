namespace Aqs.Kernel.Display.Rendering;

/// <summary>How (and whether) Kernel D renders what it presents.</summary>
public sealed record RenderSettings
{
    public static readonly RenderSettings Off = new() { Enabled = false };

    /// <summary>False only with <c>--render off</c>: then the kernel measures without rendering.</summary>
    public bool Enabled { get; init; } = true;
    /// <summary>Output size; null renders at the source's size (every rung scaled back up to it).</summary>
    public (int Width, int Height)? Size { get; init; }
    public ScaleFilter Filter { get; init; } = ScaleFilter.Bicubic;
    /// <summary>Open a window on the X display instead of rendering offscreen.</summary>
    public bool Window { get; init; }
    public PresentMode PresentMode { get; init; } = PresentMode.Fifo;
    /// <summary>The X display for the window (null: $DISPLAY).</summary>
    public string? XDisplay { get; init; }
    /// <summary>A part of the Vulkan device's name to use (null picks a GPU, else lavapipe).</summary>
    public string? Device { get; init; }
    /// <summary>Write a PNG of the first picture rendered in every N frames of the stream (0: none).</summary>
    public int SnapshotEvery { get; init; }
    public string SnapshotDirectory { get; init; } = "snapshots";

    /// <summary>Most of one core offscreen rendering may use on a CPU Vulkan device (null: cores/8); a GPU renders every picture.</summary>
    public double? CpuShare { get; init; }

    public static double DefaultCpuShare => Math.Min(1.0, Environment.ProcessorCount / 8.0);

    /// <summary>The renderer scales up to this factor of the decoded picture (the seed's spatial range).</summary>
    public const int MaxUpscale = 4;
}
