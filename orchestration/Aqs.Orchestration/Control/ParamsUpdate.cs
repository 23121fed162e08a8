using Aqs.Engine.Config;
using Aqs.Shared.Cli;
using Aqs.Shared.Contracts;
using Aqs.Shared.Timing;

namespace Aqs.Orchestration.Control;

/// <summary>
/// The run-time parameters (the seed's <c>aqs_update_params</c>, <see cref="Command"/> UpdateParams) by the AQS
/// engine's own flag names and checks (<see cref="AqsSettings"/>): <c>aqs set --vmaf-target 90</c> and the live
/// page's controls both go through here, so a value is accepted or refused with the same words everywhere.
/// </summary>
public static class ParamsUpdate
{
    /// <summary>The settings a running stream takes, by the engine's setting name, and where each lands in a <see cref="Command"/>.</summary>
    public static IReadOnlyList<(string Name, Func<Command, AqsConfig, Command> Set)> Fields { get; } =
    [
        ("mode", (c, v) => c with { Mode = v.Mode?.ToString().ToLowerInvariant() }),
        ("vmaf-target", (c, v) => c with { VmafTarget = v.VmafTarget }),
        ("bitrate-cap", (c, v) => c with { BitrateCapKbps = v.BitrateCapKbps }),
        ("temporal-min", (c, v) => c with { MinFps = v.TemporalMinFps }),
        ("temporal-max", (c, v) => c with { MaxFps = v.TemporalMaxFps }),
        ("spatial-scale", (c, v) => c with { SpatialScale = v.SpatialScale }),
        ("spatial-floor", (c, v) => c with { SpatialFloor = v.SpatialFloorLines }),
        ("bitdepth", (c, v) => c with { BitDepth = v.BitDepth }),
        ("max-latency", (c, v) => c with { MaxLatencyMs = v.MaxLatencyMs }),
    ];

    public static string Help(string name) => AqsSettings.Find(name)?.Help ?? name;

    /// <summary>One UpdateParams command for Kernel C from (setting name, text) pairs; a bad value is a one-line usage error.</summary>
    public static Command Build(IEnumerable<KeyValuePair<string, string>> values)
    {
        var command = new Command { Kind = CommandKind.UpdateParams, Target = KernelRole.Encode, TimestampNs = MonotonicClock.NowNs };
        var any = false;
        foreach (var (name, text) in values)
        {
            var field = Fields.FirstOrDefault(f => f.Name == name);
            if (field.Name is null)
            {
                throw new UserFacingException($"{name}: not a run-time parameter ({string.Join(", ", Fields.Select(f => f.Name))})", CommandLineHost.ExitUsage);
            }
            try
            {
                var config = AqsSettings.Find(name)!.Apply(AqsConfig.Empty, text.Trim());
                command = field.Set(command, config);
                any = true;
            }
            catch (AqsConfigException ex)
            {
                throw new UserFacingException(ex.Message, CommandLineHost.ExitUsage);
            }
        }
        return any ? command : throw new UserFacingException("nothing to change: give at least one parameter", CommandLineHost.ExitUsage);
    }
}
