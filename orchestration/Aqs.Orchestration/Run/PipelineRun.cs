using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Aqs.Orchestration.Live;
using Aqs.Orchestration.Reports;
using Aqs.Orchestration.Supervision;
using Aqs.Orchestration.Web;
using Aqs.Shared.Cli;
using Aqs.Shared.Contracts;
using Aqs.Shared.Rings;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aqs.Orchestration.Run;

/// <summary>
/// One session: starts the four kernels under a <see cref="Supervisor"/>, samples the session's telemetry once a
/// second into <c>runs/&lt;session&gt;/</c>, shows it (terminal view, live page), stops the kernels in pipeline
/// order and writes the summary and the report. Stopping is by SIGTERM to Kernel B: it closes its rings, and the end
/// of stream flows down the pipeline so each later kernel drains what it holds and exits.
/// </summary>
public sealed class PipelineRun
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(1);
    private readonly RunOptions _options;
    private readonly TextWriter _progress;
    private readonly ILoggerFactory _logs;
    private ControlPlane? _control;
    private Control.CommandSocket? _commands;

    public PipelineRun(RunOptions options, TextWriter progress, ILoggerFactory? logs = null)
    {
        _options = options;
        _progress = progress;
        _logs = logs ?? NullLoggerFactory.Instance;
        Session = options.Session ?? NewSessionName();
        RingNames.ValidateSession(Session);
        Telemetry = new Telemetry(Session);
    }

    public string Session { get; }
    /// <summary>The run folder (kernel logs live there too).</summary>
    public string LogDirectory => Folder?.Path ?? "";
    public RunFolder? Folder { get; private set; }
    public Telemetry Telemetry { get; }
    public int ControlPort { get; private set; }
    public Supervisor? Supervisor { get; private set; }
    /// <summary>The live page's address once it listens (with <see cref="RunOptions.WebPort"/>).</summary>
    public Uri? WebAddress { get; private set; }

    /// <summary>Raised on the run's thread once the kernels are started (the control plane is up).</summary>
    public event Action<PipelineRun>? Started;

    public static string NewSessionName() => "r" + Convert.ToHexString(Guid.NewGuid().ToByteArray(), 0, 4).ToLowerInvariant();

    /// <summary>Requests the command socket refused (not a well-formed command: garbage, other contracts, unknown versions).</summary>
    public int CommandsRefused => _commands?.Refused ?? 0;

    /// <summary>Commands the command socket relayed to the kernels.</summary>
    public int CommandsRelayed => _commands?.Relayed ?? 0;

    /// <summary>Publishes <paramref name="command"/> on the session's control plane (any thread; dropped before start).</summary>
    public void Send(Command command) => _control?.Publish(command);

    public RunResult Execute(CancellationToken cancel)
    {
        var log = _logs.CreateLogger("aqs.run." + Session);
        Folder = RunFolder.Create(_options.RunsDirectory, Session);
        ControlPort = FindFreePortBlock(ControlPlaneOptions.PortsPerSession);
        var common = new List<string> { "--session", Session, "--control-port", ControlPort.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var security = ControlSecurity(common);
        Folder.WriteSession(Session, ControlPort, security.Keys is null ? null : Folder.File(KeysFile));

        using var control = ControlPlane.Start(Session, KernelRole.Orchestrator, new ControlPlaneOptions(ControlPort) { DiagnosticLog = TextWriter.Null, Security = security });
        _control = control;
        Telemetry.Attach(control);
        using var commands = new Control.CommandSocket(ControlPort, control, security);
        _commands = commands;
        using var timeline = new JsonLinesWriter(Folder.File(RunFolder.TimelineFile));
        using var frames = new JsonLinesWriter(Folder.File(RunFolder.EncodedFramesFile));
        Telemetry.Encoded += s => frames.Write(EncodedFrameLine(s));
        Telemetry.Decided += d => log.LogInformation("decision {Width}x{Height} {Fps:F0} fps {Depth}-bit {Kbps:F0} kbit/s: {Reason}", d.Width, d.Height, d.Fps, d.BitDepth, d.BitrateBps / 1000.0, d.Reason);
        using var web = _options.WebPort is { } webPort ? LiveServer.Start(this, _options.WebBind, webPort, _logs) : null;
        WebAddress = web?.Address;
        using var supervisor = new Supervisor(kind => Arguments(kind, common), Folder.Path, _options.Supervision, Telemetry, log, control.Publish);
        Supervisor = supervisor;
        using var view = RunViews.Create(_options.EffectiveView, _progress, this);
        var wall = Stopwatch.StartNew();
        string endReason;
        IReadOnlyList<string> leftovers;
        try
        {
            supervisor.StartAll();
            log.LogInformation("session {Session}: {Seconds:F0} s of {Input}; run folder {Folder}{Web}", Session, _options.Duration.TotalSeconds, _options.Input, Folder.Path,
                WebAddress is null ? "" : $"; live page {WebAddress}");
            view.Begin($"aqs run: session {Session}, {_options.Duration.TotalSeconds:F0} s of {_options.Input}; run folder {Folder.Path}" +
                (WebAddress is null ? "" : $"; live page {WebAddress}"));
            Started?.Invoke(this);
            endReason = Loop(supervisor, control, commands, timeline, view, cancel);
            view.End();
            supervisor.StopInOrder(wait =>
            {
                control.Poll(wait);
                commands.Serve();
            });
            wall.Stop();
            leftovers = RingFiles.Leftovers(Session);
        }
        finally
        {
            _control = null;
            RingFiles.Remove(Session);
        }
        var result = RunResult.From(Session, wall.Elapsed, supervisor.Current.Values.ToList(), leftovers, endReason,
            supervisor.Failure, supervisor.FailedKernel, supervisor.Restarts, supervisor.CpuSeconds(), Folder.Path);
        File.WriteAllText(Folder.File(RunFolder.SummaryFile), result.ToJson());
        if (_options.Report)
        {
            try
            {
                ReportWriter.Write(Folder);
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or UserFacingException)
            {
                log.LogError("report not written: {Message}", ex.Message);
            }
        }
        return result;
    }

    /// <summary>The session's CURVE keys file in its run folder (written only with a control plane off loopback).</summary>
    public const string KeysFile = "control.keys";

    /// <summary>
    /// Loopback unless <see cref="RunOptions.ControlBind"/> names another address; then fresh CURVE keys go to the run
    /// folder (0600) and every kernel is told where they are (the path, never the keys, is on its command line).
    /// </summary>
    private ControlPlaneSecurity ControlSecurity(List<string> common)
    {
        if (_options.ControlBind is not { } bind || (ControlPlaneSecurity.IsLoopback(bind) && bind == ControlPlaneSecurity.Loopback))
        {
            return new ControlPlaneSecurity();
        }
        var keysPath = Folder!.File(KeysFile);
        ControlPlaneKeys.Create().Save(keysPath);
        common.AddRange(["--control-bind", bind, "--control-keys", keysPath]);
        return ControlPlaneSecurity.From(bind, keysPath);
    }

    /// <summary>Waits for frames to flow, then for the duration; samples, shows and supervises on the way. Returns why it ended.</summary>
    private string Loop(Supervisor supervisor, ControlPlane control, Control.CommandSocket commands, JsonLinesWriter timeline, IRunView view, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var nextSample = SampleEvery;
        TimeSpan? flowSince = null;
        while (true)
        {
            if (cancel.IsCancellationRequested)
            {
                return "stopped (interrupted)";
            }
            control.Poll(TimeSpan.FromMilliseconds(50));
            commands.Serve();
            if (flowSince is null && Telemetry.Flowing)
            {
                flowSince = clock.Elapsed;
            }
            switch (supervisor.Check(Telemetry.Flowing))
            {
                case SupervisorVerdict.Failed:
                    return "failed";
                case SupervisorVerdict.InputEnded:
                    return "input ended";
                case SupervisorVerdict.Stopped:
                    return $"{supervisor.StoppedKernel?.ExecutableName()} exited 0 by itself";
            }
            if (clock.Elapsed >= nextSample)
            {
                // One sample a second; after a stall, start again from now rather than catch up with a burst.
                nextSample = clock.Elapsed - nextSample > SampleEvery ? clock.Elapsed + SampleEvery : nextSample + SampleEvery;
                var sample = Telemetry.Sample(supervisor.Pids, supervisor.Restarts.Count);
                timeline.Write(sample.ToJsonLine());
                view.Update(sample);
            }
            if (flowSince is { } since && clock.Elapsed - since >= _options.Duration)
            {
                return "duration reached";
            }
            if (flowSince is null && clock.Elapsed > StartupTimeout)
            {
                _progress.WriteLine($"aqs run: no frame was encoded within {StartupTimeout.TotalSeconds:F0} s of start-up; stopping");
                return "no frame was encoded within 60 s of start-up";
            }
        }
    }

    private static string EncodedFrameLine(EncoderStats s) =>
        System.Text.Json.JsonSerializer.Serialize(new
        {
            frame_id = s.FrameId,
            bytes = s.Bytes,
            type = s.FrameType.ToString(),
            qp = s.Qp,
            encode_ms = Math.Round(s.EncodeMs, 3),
            width = s.Width,
            height = s.Height,
            bit_depth = s.BitDepth,
            target_bps = s.BitrateBps,
        });

    private IReadOnlyList<string> Arguments(KernelKind kind, List<string> common)
    {
        var args = new List<string>(common);
        switch (kind)
        {
            case KernelKind.Preprocess:
                args.AddRange(["--input", _options.Input]);
                if (_options.RefCompression is { } compression)
                {
                    args.AddRange(["--ref-compression", compression]);
                }
                if (_options.Size is { } size)
                {
                    args.AddRange(["--size", size]);
                }
                if (_options.Fps is { } fps)
                {
                    args.AddRange(["--fps", fps.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                }
                args.AddRange(_options.PreprocessArguments);
                break;
            case KernelKind.Encode:
                args.AddRange(["--decision-log", Folder!.File(RunFolder.DecisionsFile)]);
                args.AddRange(_options.EncodeArguments);
                if (_options.Codec is { } codec)
                {
                    args.AddRange(["--codec", codec]);
                }
                break;
            case KernelKind.Network:
                var restarts = Supervisor?.Restarts.Count(r => r.Kind == KernelKind.Network) ?? 0;
                var impairment = _options.NetworkRotation is { Count: > 0 } rotation ? rotation[restarts % rotation.Count] : _options.Network;
                if (impairment is { } net)
                {
                    args.AddRange(["--net", net]);
                }
                args.AddRange(_options.NetworkArguments);
                break;
            case KernelKind.Display:
                args.AddRange(["--frames-jsonl", Folder!.File(RunFolder.DisplayedFramesFile)]);
                args.AddRange(_options.DisplayArguments);
                break;
        }
        var prefix = kind.ToString().ToLowerInvariant() + ":";
        foreach (var extra in _options.KernelArguments.Where(a => a.StartsWith(prefix, StringComparison.Ordinal)))
        {
            args.AddRange(extra[prefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
        return args;
    }

    /// <summary>
    /// A block of <paramref name="count"/> free loopback ports below Linux's ephemeral range (32768..60999), where
    /// <see cref="ControlPlaneOptions"/> derives ports too: a port from the ephemeral range can be taken between our
    /// check and the kernel's bind by any outgoing connection, the kernels' own NetMQ connects among them.
    /// </summary>
    internal static int FindFreePortBlock(int count)
    {
        var slots = (ControlPlaneOptions.DerivedPortLast - ControlPlaneOptions.DerivedPortFirst + 1) / count;
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var basePort = ControlPlaneOptions.DerivedPortFirst + Random.Shared.Next(slots) * count;
            if (Enumerable.Range(basePort, count).All(IsFree))
            {
                return basePort;
            }
        }
        throw new UserFacingException("could not find free loopback TCP ports for the control plane");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
