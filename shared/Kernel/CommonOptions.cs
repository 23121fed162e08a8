using System.CommandLine;
using Aqs.Shared.Cli;

namespace Aqs.Shared.Kernel;

/// <summary>The options every kernel takes: which session to join and how long to wait for its rings.</summary>
public sealed class CommonOptions
{
    public Option<string> Session { get; } = new("--session")
    {
        Description = "session whose rings and control plane to join (letters, digits, - and _)",
        Required = true,
    };

    public Option<int?> ControlPort { get; } = new("--control-port")
    {
        Description = "base TCP port of the session's control plane on 127.0.0.1 (default: derived from the session name)",
    };

    public Option<string> AttachTimeout { get; } = new("--attach-timeout")
    {
        Description = "how long to wait for an input ring to appear, and for consumers of an output ring",
        DefaultValueFactory = _ => "10s",
    };

    public Option<string?> ControlBind { get; } = new("--control-bind")
    {
        Description = "address the control sockets bind to (default 127.0.0.1); any other needs --control-keys",
    };

    public Option<string?> ControlKeys { get; } = new("--control-keys")
    {
        Description = "file (mode 0600) with the session's CURVE keys; aqs run --control-bind writes it",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Session);
        command.Options.Add(ControlPort);
        command.Options.Add(AttachTimeout);
        command.Options.Add(ControlBind);
        command.Options.Add(ControlKeys);
    }

    /// <summary>The options as given; also names the session an orphaned kernel cleans up (<see cref="KernelLifetime"/>).</summary>
    public KernelContext Read(ParseResult parse)
    {
        var context = new KernelContext(
            parse.GetValue(Session)!,
            parse.GetValue(ControlPort),
            DurationParser.Parse(parse.GetValue(AttachTimeout)!, "--attach-timeout"));
        KernelLifetime.Session = context.Session;
        Contracts.ControlPlaneSecurity.Process = Contracts.ControlPlaneSecurity.From(parse.GetValue(ControlBind), parse.GetValue(ControlKeys));
        return context;
    }
}

/// <summary>The common options, parsed.</summary>
public sealed record KernelContext(string Session, int? ControlPort, TimeSpan AttachTimeout)
{
    /// <summary>A context for settings records that only supply defaults (the flag tables read their defaults from one).</summary>
    public static KernelContext None { get; } = new("", null, TimeSpan.Zero);

    /// <summary>The session's control-plane options: the given base port, or the one derived from the session name.</summary>
    public Contracts.ControlPlaneOptions ControlOptions() =>
        ControlPort is { } port ? new Contracts.ControlPlaneOptions(port) : Contracts.ControlPlaneOptions.ForSession(Session);
}
