using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Aqs.Shared.Cli;
using Aqs.Shared.Contracts;

namespace Aqs.Orchestration.Run;

/// <summary>
/// Starts the four kernels in a fresh session, lets them run, stops them in pipeline order and
/// collects what each measured. Stopping is by SIGTERM to Kernel B: it closes its rings, and the
/// end of stream flows down the pipeline so each later kernel drains what it holds and exits.
/// </summary>
public sealed class PipelineRun
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(15);
    private readonly RunOptions _options;
    private readonly TextWriter _progress;

    public PipelineRun(RunOptions options, TextWriter progress)
    {
        _options = options;
        _progress = progress;
    }

    public string Session { get; private set; } = "";
    public string LogDirectory { get; private set; } = "";

    public RunResult Execute(CancellationToken cancel)
    {
        Session = _options.Session ?? "r" + Convert.ToHexString(Guid.NewGuid().ToByteArray(), 0, 4).ToLowerInvariant();
        LogDirectory = Path.Combine(Path.GetTempPath(), "aqs-" + Session);
        Directory.CreateDirectory(LogDirectory);
        var controlPort = FindFreePortBlock(8);
        var common = new List<string> { "--session", Session, "--control-port", controlPort.ToString() };

        var kernels = new Dictionary<KernelKind, KernelProcess>();
        using var control = ControlPlane.Start(Session, KernelRole.Orchestrator, new ControlPlaneOptions(controlPort) { DiagnosticLog = TextWriter.Null });
        var live = new LiveStatus();
        live.Attach(control);
        var wall = Stopwatch.StartNew();
        try
        {
            // Consumers first: each producer waits for its consumers to attach before it publishes.
            kernels[KernelKind.Display] = KernelProcess.Start(KernelKind.Display, Arguments(KernelKind.Display, common), LogDirectory);
            kernels[KernelKind.Network] = KernelProcess.Start(KernelKind.Network, Arguments(KernelKind.Network, common), LogDirectory);
            kernels[KernelKind.Encode] = KernelProcess.Start(KernelKind.Encode, Arguments(KernelKind.Encode, common), LogDirectory);
            kernels[KernelKind.Preprocess] = KernelProcess.Start(KernelKind.Preprocess, Arguments(KernelKind.Preprocess, common), LogDirectory);
            _progress.WriteLine($"aqs run: session {Session}, {_options.Duration.TotalSeconds:F0} s of {_options.Input}; logs in {LogDirectory}");

            // The duration counts from the first encoded frame: process start-up is not streaming time.
            var failed = WaitForFlow(kernels, control, live, cancel)
                ?? WaitWhileRunning(kernels, control, live, _options.Duration, cancel);
            StopInOrder(kernels);
            wall.Stop();
            var leftovers = RingFiles.Leftovers(Session);
            var result = RunResult.From(Session, wall.Elapsed, kernels.Values.ToList(), leftovers, failed);
            return result;
        }
        finally
        {
            foreach (var kernel in kernels.Values)
            {
                kernel.Dispose();
            }
            RingFiles.Remove(Session);
        }
    }

    private IEnumerable<string> Arguments(KernelKind kind, List<string> common)
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
                break;
            case KernelKind.Encode:
                args.AddRange(_options.EncodeArguments);
                args.AddRange(["--decision-log", Path.Combine(LogDirectory, "decisions.jsonl")]);
                if (_options.Codec is { } codec)
                {
                    args.AddRange(["--codec", codec]);
                }
                break;
            case KernelKind.Network:
                if (_options.Network is { } net)
                {
                    args.AddRange(["--net", net]);
                }
                break;
        }
        var prefix = kind.ToString().ToLowerInvariant() + ":";
        foreach (var extra in _options.KernelArguments.Where(a => a.StartsWith(prefix, StringComparison.Ordinal)))
        {
            args.AddRange(extra[prefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
        return args;
    }

    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Waits until frames flow; returns a kernel that exited first, if any.</summary>
    private KernelProcess? WaitForFlow(Dictionary<KernelKind, KernelProcess> kernels, ControlPlane control, LiveStatus live, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        while (!live.Flowing && clock.Elapsed < StartupTimeout && !cancel.IsCancellationRequested)
        {
            if (kernels.Values.FirstOrDefault(k => k.HasExited) is { } dead)
            {
                return dead;
            }
            control.Poll(TimeSpan.FromMilliseconds(50));
        }
        if (!live.Flowing && !cancel.IsCancellationRequested)
        {
            _progress.WriteLine($"aqs run: no frame was encoded within {StartupTimeout.TotalSeconds:F0} s of start-up; stopping");
        }
        return null;
    }

    /// <summary>Waits for the duration; returns the first kernel that exited on its own before that, if any.</summary>
    private KernelProcess? WaitWhileRunning(Dictionary<KernelKind, KernelProcess> kernels, ControlPlane control, LiveStatus live, TimeSpan duration, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var nextReport = TimeSpan.FromSeconds(1);
        while (clock.Elapsed < duration && !cancel.IsCancellationRequested)
        {
            var dead = kernels.Values.FirstOrDefault(k => k.HasExited);
            if (dead is not null)
            {
                // Kernel B ending by itself (a finite input) is a normal end of stream.
                if (dead.Kind == KernelKind.Preprocess && dead.ExitCode == 0)
                {
                    return null;
                }
                return dead;
            }
            if (!_options.Quiet && clock.Elapsed >= nextReport)
            {
                _progress.WriteLine($"aqs run: {live.Line(clock.Elapsed, duration, TimeSpan.FromSeconds(1))}");
                nextReport += TimeSpan.FromSeconds(1);
            }
            control.Poll(TimeSpan.FromMilliseconds(50));
        }
        return null;
    }

    private static void StopInOrder(Dictionary<KernelKind, KernelProcess> kernels)
    {
        KernelKind[] order = [KernelKind.Preprocess, KernelKind.Encode, KernelKind.Network, KernelKind.Display];
        kernels[KernelKind.Preprocess].Signal(Native.SIGTERM);
        foreach (var kind in order)
        {
            var kernel = kernels[kind];
            if (!kernel.WaitForExit(DrainTimeout))
            {
                // It did not see the end of stream in time: ask directly, then insist.
                kernel.Signal(Native.SIGTERM);
                if (!kernel.WaitForExit(TimeSpan.FromSeconds(5)))
                {
                    kernel.Kill();
                }
            }
        }
    }

    private static int FindFreePortBlock(int count)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var basePort = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            if (basePort + count >= 65535)
            {
                continue;
            }
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
