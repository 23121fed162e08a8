using MessagePack;

namespace Aqs.Shared.Contracts;

/// <summary>
/// An order from the orchestrator. For <see cref="CommandKind.UpdateParams"/> the parameter fields
/// mirror the seed's <c>aqs_update_params</c>: null means "leave as it is", so one command can change
/// a single knob without knowing the others.
/// </summary>
[MessagePackObject]
public sealed record Command : IControlContract
{
    public const int CurrentSchemaVersion = 1;

    [Key(0)] public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    [Key(1)] public long TimestampNs { get; init; }
    [Key(2)] public CommandKind Kind { get; init; }
    /// <summary>The kernel it is for; null means every kernel.</summary>
    [Key(3)] public KernelRole? Target { get; init; }
    [Key(4)] public double? MinFps { get; init; }
    [Key(5)] public double? MaxFps { get; init; }
    /// <summary>Resolution scale factor (seed: 1/2x to 4x).</summary>
    [Key(6)] public double? SpatialScale { get; init; }
    /// <summary>Lowest output height in lines (720 = "720p floor").</summary>
    [Key(7)] public int? SpatialFloor { get; init; }
    [Key(8)] public int? BitDepth { get; init; }
    [Key(9)] public int? BitrateCapKbps { get; init; }
    /// <summary>Preset name: quality, latency, mobile, sports, conference.</summary>
    [Key(10)] public string? Mode { get; init; }
    [Key(11)] public double? VmafTarget { get; init; }
    [Key(12)] public double? MaxLatencyMs { get; init; }

    /// <summary>Whether a kernel of <paramref name="role"/> should act on this command.</summary>
    public bool IsFor(KernelRole role) => Target is null || Target == role;
}
