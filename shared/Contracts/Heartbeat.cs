using MessagePack;

namespace Aqs.Shared.Contracts;

/// <summary>"I am alive and doing this": every process sends one periodically so the orchestrator can spot a hang.</summary>
[MessagePackObject]
public sealed record Heartbeat : IControlContract
{
    public const int CurrentSchemaVersion = 1;

    [Key(0)] public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    [Key(1)] public KernelRole Role { get; init; }
    [Key(2)] public int Pid { get; init; }
    [Key(3)] public long UptimeMs { get; init; }
    /// <summary>Free text for humans and logs ("running", "waiting for input", "draining").</summary>
    [Key(4)] public string State { get; init; } = "";
    [Key(5)] public long TimestampNs { get; init; }
}
