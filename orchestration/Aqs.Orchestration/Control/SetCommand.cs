using System.CommandLine;
using System.Text.Json.Nodes;
using Aqs.Orchestration.Reports;
using Aqs.Shared.Cli;
using Aqs.Shared.Contracts;

namespace Aqs.Orchestration.Control;

/// <summary>
/// <c>aqs set --session S --vmaf-target 90</c>: changes a running session's AQS parameters. The session's control port
/// comes from its run folder (<c>runs/S/session.json</c>); the command is published on the control plane a few times
/// over a second, since PUB/SUB drops what is sent before a subscriber has connected.
/// </summary>
public static class SetCommand
{
    private static readonly TimeSpan Repeat = TimeSpan.FromMilliseconds(200);
    private const int Sends = 5;

    public static System.CommandLine.Command Create()
    {
        var session = new Option<string>("--session") { Description = "the running session (its folder is RUNS/SESSION)", Required = true };
        var runs = new Option<string>("--runs") { Description = "folder of run folders", DefaultValueFactory = _ => "runs" };
        var command = new System.CommandLine.Command("set", "change a running session's AQS parameters (mode, VMAF target, bitrate cap, ...)") { session, runs };
        var values = new List<(string Name, Option<string?> Option)>();
        foreach (var (name, _) in ParamsUpdate.Fields)
        {
            var option = new Option<string?>("--" + name) { Description = ParamsUpdate.Help(name) };
            values.Add((name, option));
            command.Options.Add(option);
        }
        command.SetAction(parse =>
        {
            var given = values
                .Where(v => parse.GetValue(v.Option) is not null)
                .Select(v => KeyValuePair.Create(v.Name, parse.GetValue(v.Option)!))
                .ToList();
            var update = ParamsUpdate.Build(given);
            var name = parse.GetValue(session)!;
            var folder = new RunFolder(Path.Combine(parse.GetValue(runs)!, name));
            var port = ControlPortOf(folder, name);
            Send(name, port, update, SecurityOf(folder));
            Console.Out.WriteLine($"aqs set: sent to session {name} ({string.Join(", ", given.Select(g => $"{g.Key} {g.Value}"))})");
            return 0;
        });
        return command;
    }

    public static int ControlPortOf(RunFolder folder, string session)
    {
        var file = folder.File(RunFolder.SessionFile);
        if (!File.Exists(file))
        {
            throw new UserFacingException($"session {session}: no {file} (is it running, and is --runs right?)", CommandLineHost.ExitUsage);
        }
        try
        {
            return JsonNode.Parse(File.ReadAllText(file))?["control_port"]?.GetValue<int>()
                ?? throw new UserFacingException($"{file}: no control_port");
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new UserFacingException($"{file}: not valid JSON ({ex.Message})");
        }
    }

    /// <summary>The session's CURVE keys when its session.json names a keys file (a control plane off loopback).</summary>
    public static ControlPlaneSecurity? SecurityOf(RunFolder folder)
    {
        var file = folder.File(RunFolder.SessionFile);
        var keys = File.Exists(file) ? JsonNode.Parse(File.ReadAllText(file))?["control_keys"]?.GetValue<string>() : null;
        return keys is null ? null : new ControlPlaneSecurity { Keys = ControlPlaneKeys.Load(keys) };
    }

    /// <summary>Hands <paramref name="update"/> to the session's launcher through its command socket and waits for its answer.</summary>
    public static void Send(string session, int controlPort, Shared.Contracts.Command update, ControlPlaneSecurity? security = null)
    {
        var answer = CommandSocket.Request(controlPort, update, TimeSpan.FromSeconds(3), security);
        if (answer != CommandSocket.Accepted)
        {
            throw new UserFacingException($"session {session}: {answer}");
        }
    }
}
