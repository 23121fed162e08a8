namespace Aqs.Orchestration.Run;

/// <summary>What <c>aqs run</c> was asked to do.</summary>
public sealed record RunOptions
{
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Kernel B's input: <c>synthetic</c> (default) or a file.</summary>
    public string Input { get; init; } = "synthetic";
    public string? JsonPath { get; init; }
    public string? Session { get; init; }
    /// <summary>Impairment spec for Kernel A's send path; null = clean loopback.</summary>
    public string? Network { get; init; }
    /// <summary>The AQS engine's settings for Kernel C, as its flags (<c>--mode sports --vmaf-target 93</c>, <c>--aqs off</c>).</summary>
    public IReadOnlyList<string> EncodeArguments { get; init; } = [];
    public string? Codec { get; init; }
    public string? Size { get; init; }
    public double? Fps { get; init; }
    public bool Quiet { get; init; }
    /// <summary>Kernel B's --ref-compression (none, lz4, zstd); null = its default.</summary>
    public string? RefCompression { get; init; }
    /// <summary>Extra arguments for one kernel, e.g. <c>encode:--preset=faster</c>.</summary>
    public IReadOnlyList<string> KernelArguments { get; init; } = [];
}
