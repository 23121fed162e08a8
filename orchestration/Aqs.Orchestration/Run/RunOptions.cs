using Aqs.Orchestration.Supervision;

namespace Aqs.Orchestration.Run;

/// <summary>How a run shows its progress.</summary>
public enum RunView
{
    /// <summary>The live dashboard on a terminal, plain lines otherwise.</summary>
    Auto,
    /// <summary>The Spectre.Console dashboard.</summary>
    Dashboard,
    /// <summary>One plain line a second.</summary>
    Plain,
    /// <summary>Nothing until the summary.</summary>
    None,
}

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
    /// <summary>Kernel B's, A's and D's own flags as the user gave them (from their flag tables).</summary>
    public IReadOnlyList<string> PreprocessArguments { get; init; } = [];
    public IReadOnlyList<string> NetworkArguments { get; init; } = [];
    public IReadOnlyList<string> DisplayArguments { get; init; } = [];
    public string? Codec { get; init; }
    public string? Size { get; init; }
    public double? Fps { get; init; }
    /// <summary>Same as <see cref="View"/> = <see cref="RunView.None"/>.</summary>
    public bool Quiet { get; init; }
    public RunView View { get; init; } = RunView.Plain;
    /// <summary>Kernel B's --ref-compression (none, lz4, zstd); null = its default.</summary>
    public string? RefCompression { get; init; }
    /// <summary>Extra arguments for one kernel, e.g. <c>encode:--preset=faster</c>.</summary>
    public IReadOnlyList<string> KernelArguments { get; init; } = [];
    /// <summary>Where <c>&lt;session&gt;/</c> goes: logs, timeline, decisions, summary and report.</summary>
    public string RunsDirectory { get; init; } = "runs";
    /// <summary>Write report.html and its plots at the end.</summary>
    public bool Report { get; init; } = true;
    /// <summary>Serve the live page on this loopback port (0 = any free port); null = no page.</summary>
    public int? WebPort { get; init; }
    /// <summary>Address the live page binds to (loopback unless asked).</summary>
    public string WebBind { get; init; } = "127.0.0.1";
    public SupervisionPolicy Supervision { get; init; } = new();
    /// <summary>
    /// Impairments Kernel A goes through, one per process: its first start takes the first, each restart the next
    /// (the soak rotates traces this way). Null uses <see cref="Network"/> throughout.
    /// </summary>
    public IReadOnlyList<string?>? NetworkRotation { get; init; }

    /// <summary>
    /// Address the control sockets (every role's publisher, the command socket) bind to; null = loopback. Any other
    /// makes the launcher write the session's CURVE keys (<c>control.keys</c>, 0600, in the run folder) and every
    /// control socket speak CURVE with them.
    /// </summary>
    public string? ControlBind { get; init; }

    public RunView EffectiveView => Quiet ? RunView.None : View;
}
