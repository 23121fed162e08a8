using Aqs.Shared.Kernel;

namespace Aqs.Kernel.Display;

/// <summary>Kernel D's parsed command line.</summary>
public sealed record DisplaySettings
{
    public required KernelContext Context { get; init; }
    public int MetricsEvery { get; init; } = 1;
}
