using Aqs.Orchestration.Live;
using Aqs.Orchestration.Run;
using Aqs.Shared.Cli;
using Aqs.Shared.Contracts;
using Microsoft.Extensions.Logging;

namespace Aqs.Orchestration.Supervision;

/// <summary>What the supervisor saw on one check.</summary>
public enum SupervisorVerdict
{
    /// <summary>Everything runs (restarts included).</summary>
    Running,
    /// <summary>Kernel B reached the end of a finite input and exited 0: a normal end.</summary>
    InputEnded,
    /// <summary>A kernel failed more often than the policy allows (or restarts are off): see <see cref="Supervisor.Failure"/>.</summary>
    Failed,
    /// <summary>A kernel other than B exited 0 on its own (a signal or Stop command from outside, as Ctrl-C sends to the whole group): the run stops.</summary>
    Stopped,
}

/// <summary>
/// Starts a session's four kernels in dependency order (each consumer before its producer: a producer waits for its
/// consumers before it publishes), watches their exits and heartbeats, restarts one that exits or hangs with backoff,
/// and gives up with one line naming the kernel and its last log lines when it fails too often.
/// </summary>
public sealed class Supervisor : IDisposable
{
    /// <summary>Display, network, encode, preprocess: consumers first.</summary>
    public static readonly KernelKind[] StartOrder = [KernelKind.Display, KernelKind.Network, KernelKind.Encode, KernelKind.Preprocess];
    /// <summary>Preprocess first: its end of stream flows down the pipeline.</summary>
    public static readonly KernelKind[] StopOrder = [KernelKind.Preprocess, KernelKind.Encode, KernelKind.Network, KernelKind.Display];
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(15);
    /// <summary>After a restart, frames shown within this long may have been on their way before the failure.</summary>
    public static readonly TimeSpan RecoverySettling = TimeSpan.FromSeconds(1);

    private readonly Func<KernelKind, IReadOnlyList<string>> _arguments;
    private readonly string _logDirectory;
    private readonly SupervisionPolicy _policy;
    private readonly Telemetry _telemetry;
    private readonly ILogger _log;
    private readonly Dictionary<KernelKind, KernelProcess> _current = [];
    /// <summary>CPU seconds of the processes that were replaced; the processes themselves are disposed at once (their pipes are descriptors).</summary>
    private readonly List<(KernelKind Kind, double CpuSeconds)> _retired = [];
    private readonly Dictionary<KernelKind, DateTime> _restartDue = [];
    private readonly List<KernelRestart> _restarts = [];
    private bool _inputEnded;
    private readonly Dictionary<KernelKind, DateTime> _exitedCleanlyAt = [];
    private static readonly TimeSpan SourceEndGrace = TimeSpan.FromSeconds(3);
    private readonly List<KernelKind> _forcedStops = [];

    /// <summary>Kernels that did not drain and exit by themselves when the run stopped (stuck).</summary>
    public IReadOnlyList<KernelKind> ForcedStops => _forcedStops;

    private readonly Action<KeyframeRequest> _askKeyframe;
    private double _lastKeyframeAskS = double.NegativeInfinity;

    /// <param name="askKeyframe">Publishes a keyframe request to Kernel C: a restarted receiver needs an I frame to decode from.</param>
    public Supervisor(Func<KernelKind, IReadOnlyList<string>> arguments, string logDirectory, SupervisionPolicy policy, Telemetry telemetry, ILogger log,
        Action<KeyframeRequest> askKeyframe)
    {
        _askKeyframe = askKeyframe;
        _arguments = arguments;
        _logDirectory = logDirectory;
        _policy = policy;
        _telemetry = telemetry;
        _log = log;
    }

    public IReadOnlyDictionary<KernelKind, KernelProcess> Current => _current;

    /// <summary>A copy: views read it from other threads.</summary>
    public IReadOnlyList<KernelRestart> Restarts
    {
        get
        {
            lock (_restarts)
            {
                return _restarts.ToList();
            }
        }
    }

    /// <summary>Why the run failed, in one line, once <see cref="Check"/> said <see cref="SupervisorVerdict.Failed"/>.</summary>
    public string? Failure { get; private set; }

    /// <summary>The kernel that ended the run by exiting 0 on its own (<see cref="SupervisorVerdict.Stopped"/>).</summary>
    public KernelKind? StoppedKernel { get; private set; }

    /// <summary>The kernel the failure is about.</summary>
    public KernelKind? FailedKernel { get; private set; }

    public IReadOnlyDictionary<KernelKind, int> Pids =>
        _current.Where(k => !k.Value.HasExited).ToDictionary(k => k.Key, k => k.Value.Pid);

    public void StartAll()
    {
        foreach (var kind in StartOrder)
        {
            Start(kind, 0);
        }
    }

    private void Start(KernelKind kind, int incarnation)
    {
        var kernel = KernelProcess.Start(kind, _arguments(kind), _logDirectory, incarnation);
        _current[kind] = kernel;
        _log.LogInformation("started {Kernel} pid {Pid}{Restart}", kind.ExecutableName(), kernel.Pid, incarnation > 0 ? $" (restart {incarnation})" : "");
    }

    /// <summary>One look at every kernel: exits, hangs, due restarts, recoveries.</summary>
    public SupervisorVerdict Check(bool flowing)
    {
        var now = DateTime.UtcNow;
        foreach (var (kind, due) in _restartDue.ToList())
        {
            if (now >= due)
            {
                _restartDue.Remove(kind);
                Start(kind, _current[kind].Incarnation + 1);
                _restarts.Last(r => r.Kind == kind).RestartedAtS = _telemetry.ElapsedSeconds;
            }
        }
        // Kernel B first: its end of input explains every later kernel's exit 0.
        if (!_inputEnded && _current.TryGetValue(KernelKind.Preprocess, out var source) && !_restartDue.ContainsKey(KernelKind.Preprocess)
            && source.HasExited && source.ExitCode == 0)
        {
            _inputEnded = true;
            _log.LogInformation("kernel-preprocess reached the end of its input");
        }
        // Upstream first: a kernel's failure is on record before the kernels after it are judged for exiting 0.
        foreach (var kind in StopOrder)
        {
            var kernel = _current[kind];
            if (_restartDue.ContainsKey(kind))
            {
                continue;
            }
            if (kernel.HasExited)
            {
                if (kernel.ExitCode == 0 && kind != KernelKind.Preprocess && !_inputEnded)
                {
                    // A kernel that fails cleanly closes its output ring, and the kernels after it take that as the end
                    // of the stream: they are restarted with it, not taken as a request to stop.
                    if (_restarts.LastOrDefault(r => Upstream(kind).Contains(r.Kind) && _telemetry.ElapsedSeconds - r.FailedAtS < 30) is { } cause)
                    {
                        if (!Failed(kind, kernel, $"its input ended when {cause.Kind.ExecutableName()} failed"))
                        {
                            return SupervisorVerdict.Failed;
                        }
                        continue;
                    }
                    // Kernel B closes its rings before it exits: give it a moment to be seen ending its input.
                    _exitedCleanlyAt.TryAdd(kind, DateTime.UtcNow);
                    if (DateTime.UtcNow - _exitedCleanlyAt[kind] < SourceEndGrace)
                    {
                        continue;
                    }
                    StoppedKernel = kind;
                    _log.LogInformation("{Kernel} exited 0 by itself: stopping the run", kind.ExecutableName());
                    return SupervisorVerdict.Stopped;
                }
                if (kernel.ExitCode == 0)
                {
                    continue; // the finite input ended: the end of stream flows down and every kernel exits 0 by itself
                }
                if (!Failed(kind, kernel, $"exit {Describe(kernel.ExitCode)}"))
                {
                    return SupervisorVerdict.Failed;
                }
                continue;
            }
            kernel.Measure();
            if (flowing && _telemetry.SinceHeartbeat(kind.Role(), kernel.Pid) is { } silent && silent > _policy.HangAfter)
            {
                _log.LogWarning("{Kernel} pid {Pid} sent no heartbeat for {Seconds:F1} s: killing it", kind.ExecutableName(), kernel.Pid, silent.TotalSeconds);
                kernel.Kill();
                if (!Failed(kind, kernel, $"hung: no heartbeat for {silent.TotalSeconds:F1} s"))
                {
                    return SupervisorVerdict.Failed;
                }
            }
        }
        TrackRecovery();
        return _inputEnded ? SupervisorVerdict.InputEnded : SupervisorVerdict.Running;
    }

    /// <summary>The kernels whose rings <paramref name="kind"/> reads, directly or further up.</summary>
    public static IReadOnlyList<KernelKind> Upstream(KernelKind kind) => kind switch
    {
        KernelKind.Display => [KernelKind.Network, KernelKind.Encode, KernelKind.Preprocess],
        KernelKind.Network => [KernelKind.Encode, KernelKind.Preprocess],
        KernelKind.Encode => [KernelKind.Preprocess],
        _ => [],
    };

    /// <summary>Records a failure and schedules the restart; false when the policy says the run must end.</summary>
    private bool Failed(KernelKind kind, KernelProcess kernel, string cause)
    {
        var at = _telemetry.ElapsedSeconds;
        var recent = _restarts.Count(r => r.Kind == kind && at - r.FailedAtS < 60);
        var samples = _telemetry.Snapshot();
        var before = samples.Where(s => s.T > at - 3 && s.DisplayedFps is not null).Select(s => s.DisplayedFps!.Value).DefaultIfEmpty(0).Average();
        _log.LogWarning("{Kernel} pid {Pid} failed: {Cause}", kind.ExecutableName(), kernel.Pid, cause);
        // A usage error (exit 2) says the same thing on every restart: the run ends at once with the kernel's words.
        var usage = kernel.ExitCode == CommandLineHost.ExitUsage;
        if (!_policy.Restart || usage || recent >= _policy.MaxRestartsPerMinute)
        {
            FailedKernel = kind;
            var why = usage ? "a usage error does not go away on restart" : _policy.Restart ? $"it failed {recent + 1} times within a minute" : "restarts are off";
            var tail = string.Join(" / ", kernel.Tail.TakeLast(3));
            Failure = $"{kind.ExecutableName()} {cause}; {why}; log {kernel.LogPath}{(tail.Length > 0 ? ": " + tail : "")}";
            _log.LogError("giving up: {Failure}", Failure);
            return false;
        }
        lock (_restarts)
        {
            _restarts.Add(NewRestart(kind, cause, at, before));
        }
        kernel.WaitForExit(TimeSpan.FromSeconds(1));
        _retired.Add((kind, kernel.LastReading?.CpuSeconds ?? 0));
        kernel.Dispose();
        var delay = _policy.BackoffFor(recent);
        _restartDue[kind] = DateTime.UtcNow + delay;
        _log.LogInformation("restarting {Kernel} in {Delay} ms", kind.ExecutableName(), (int)delay.TotalMilliseconds);
        return true;
    }

    private KernelRestart NewRestart(KernelKind kind, string cause, double at, double before) =>
        new KernelRestart
        {
            Kind = kind,
            FailedAtS = at,
            Cause = cause,
            DisplayedBefore = _telemetry.FramesDisplayed,
            DisplayedFpsBefore = before,
        };

    private void TrackRecovery()
    {
        var now = _telemetry.ElapsedSeconds;
        // A restarted network or display kernel joins mid-stream: its decoder needs an I frame, and with AQS's intra
        // refresh none may come for a long time. Ask Kernel C once a second until pictures flow again.
        if (now - _lastKeyframeAskS > 1 && _restarts.Any(r => r is { Recovered: false, RestartedAtS: { } at, Kind: KernelKind.Network or KernelKind.Display } && now - at > 0.5))
        {
            _lastKeyframeAskS = now;
            _askKeyframe(new KeyframeRequest { From = KernelRole.Orchestrator, TimestampNs = Aqs.Shared.Timing.MonotonicClock.NowNs, Reason = "a receiving kernel restarted" });
        }
        foreach (var restart in _restarts.Where(r => r is { Recovered: false, RestartedAtS: not null }))
        {
            if (restart.DisplayedAfterSettling is null)
            {
                if (now - restart.RestartedAtS >= RecoverySettling.TotalSeconds)
                {
                    restart.DisplayedAfterSettling = _telemetry.FramesDisplayed;
                }
                continue;
            }
            if (_telemetry.FramesDisplayed > restart.DisplayedAfterSettling + 2)
            {
                restart.RecoveredAtS = now;
                var gap = now - restart.FailedAtS;
                var shownInGap = _telemetry.FramesDisplayed - restart.DisplayedBefore;
                restart.FramesLost = Math.Max(0, (long)Math.Round(restart.DisplayedFpsBefore * gap) - shownInGap);
                _log.LogInformation("recovered: {Restart}", restart.Describe());
            }
        }
    }

    /// <summary>
    /// SIGTERM to Kernel B; the end of stream flows down; each later kernel gets its own SIGTERM only if it does not
    /// drain in time. <paramref name="poll"/> runs while waiting (the launcher keeps reading the control plane, so
    /// what the kernels publish as they drain is not lost).
    /// </summary>
    public void StopInOrder(Action<TimeSpan> poll)
    {
        _restartDue.Clear();
        foreach (var kernel in _current.Values)
        {
            kernel.Measure();
        }
        _current[KernelKind.Preprocess].Signal(Native.SIGTERM);
        foreach (var kind in StopOrder)
        {
            var kernel = _current[kind];
            if (!WaitForExit(kernel, DrainTimeout, poll))
            {
                _log.LogWarning("{Kernel} did not drain within {Seconds} s: SIGTERM", kind.ExecutableName(), DrainTimeout.TotalSeconds);
                _forcedStops.Add(kind);
                kernel.Signal(Native.SIGTERM);
                if (!WaitForExit(kernel, TimeSpan.FromSeconds(5), poll))
                {
                    _log.LogWarning("{Kernel} ignored SIGTERM: SIGKILL", kind.ExecutableName());
                    kernel.Kill();
                }
            }
        }
        poll(TimeSpan.FromMilliseconds(300)); // the last messages of the last kernel
    }

    private static bool WaitForExit(KernelProcess kernel, TimeSpan timeout, Action<TimeSpan> poll)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!kernel.HasExited && clock.Elapsed < timeout)
        {
            kernel.Measure();
            poll(TimeSpan.FromMilliseconds(50));
        }
        return kernel.WaitForExit(TimeSpan.FromMilliseconds(100));
    }

    /// <summary>CPU seconds each kernel used over all its processes in this run (from the last /proc reading of each).</summary>
    public IReadOnlyDictionary<KernelKind, double> CpuSeconds() =>
        _current.Values.Select(k => (k.Kind, CpuSeconds: k.LastReading?.CpuSeconds ?? 0)).Concat(_retired)
            .GroupBy(k => k.Kind)
            .ToDictionary(g => g.Key, g => g.Sum(k => k.CpuSeconds));

    internal static string Describe(int? exitCode) => exitCode switch
    {
        null => "unknown",
        > 128 => $"{exitCode} (killed by signal {exitCode - 128})",
        < 0 => $"{exitCode} (killed by signal {-exitCode})",
        _ => exitCode.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public void Dispose()
    {
        foreach (var kernel in _current.Values)
        {
            kernel.Dispose();
        }
    }
}
