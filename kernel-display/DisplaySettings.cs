using Aqs.Shared.Kernel;

namespace Aqs.Kernel.Display;

/// <summary>Kernel D's parsed command line.</summary>
public sealed record DisplaySettings
{
    public required KernelContext Context { get; init; }
    public int MetricsEvery { get; init; } = 1;
    /// <summary>Frames later than this (capture to decoded) are shown without measuring them.</summary>
    public TimeSpan MetricsLatencyBudget { get; init; } = TimeSpan.FromMilliseconds(250);
}
