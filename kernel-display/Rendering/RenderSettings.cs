namespace Aqs.Kernel.Display.Rendering;

/// <summary>How (and whether) Kernel D renders what it presents.</summary>
public sealed record RenderSettings
{
    public static readonly RenderSettings Off = new() { Enabled = false };

    /// <summary>False only with <c>--render off</c>: then the kernel measures without rendering.</summary>
    public bool Enabled { get; init; } = true;
}
