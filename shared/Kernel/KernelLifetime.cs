using System.Runtime.InteropServices;
using Aqs.Shared.Contracts;
using Aqs.Shared.Interop;
using Aqs.Shared.Rings;
using Aqs.Shared.Timing;

namespace Aqs.Shared.Kernel;

/// <summary>
/// Turns SIGINT/SIGTERM (and a Stop command) into one cancellation token, so a kernel drains,
/// closes the rings it owns and exits with code 0 instead of dying mid-frame.
/// <para>
/// A watcher thread also notices when the parent (the launcher) is gone, even after SIGKILL: the kernel is
/// asked to stop, and one that has not exited within <see cref="OrphanGrace"/> removes its session's shared-memory
/// files and exits with <see cref="ExitOrphaned"/>, so nothing of a killed run outlives it by more than a few
/// seconds. With <see cref="PublishHeartbeats"/> the same thread publishes a <see cref="Heartbeat"/> every
/// <see cref="HeartbeatInterval"/> while the kernel's loop makes progress (<see cref="Tick"/>, called by
/// <see cref="InputSteps.Next"/>); a loop that stops ticking goes silent, which is how the launcher spots a hang.
/// </para>
/// </summary>
public sealed class KernelLifetime : IDisposable
{
    public const int ExitOrphaned = 70;
    public static readonly TimeSpan OrphanGrace = TimeSpan.FromSeconds(2.5);
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromMilliseconds(500);
    /// <summary>A loop that has not ticked for this long is not vouched for by heartbeats.</summary>
    public static readonly TimeSpan StalledAfter = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan WatchStep = TimeSpan.FromMilliseconds(100);

    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _disposed = new();
    private readonly PosixSignalRegistration[] _registrations;
    private readonly int _parentPid = Libc.getppid();
    private readonly Thread _watcher;
    private long _lastTickNs = MonotonicClock.NowNs;
    private ControlPlane? _control;

    public KernelLifetime()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
        _watcher = new Thread(Watch) { IsBackground = true, Name = "kernel-lifetime" };
        _watcher.Start();
    }

    public CancellationToken Stopping => _stopping.Token;

    public bool IsStopping => _stopping.IsCancellationRequested;

    public string? StopReason { get; private set; }

    /// <summary>The session whose /dev/shm files an orphaned kernel removes before it exits; set by <see cref="CommonOptions.Read"/>.</summary>
    internal static string? Session { get; set; }

    public void RequestStop(string reason)
    {
        StopReason ??= reason;
        _stopping.Cancel();
    }

    /// <summary>The kernel's loop made progress (cheap: one volatile store).</summary>
    public void Tick() => Volatile.Write(ref _lastTickNs, MonotonicClock.NowNs);

    /// <summary>From now on, publish heartbeats for this kernel on <paramref name="control"/> while its loop ticks.</summary>
    public void PublishHeartbeats(ControlPlane control) => Volatile.Write(ref _control, control);

    private void OnSignal(PosixSignalContext context)
    {
        // Keep the process alive: the main loop sees the token, drains and exits by itself.
        context.Cancel = true;
        RequestStop(context.Signal.ToString());
    }

    private void Watch()
    {
        long orphanedAtNs = 0;
        var nextBeatNs = 0L;
        while (!_disposed.Token.WaitHandle.WaitOne(WatchStep))
        {
            var now = MonotonicClock.NowNs;
            if (orphanedAtNs == 0 && Libc.getppid() != _parentPid)
            {
                orphanedAtNs = now;
                Console.Error.WriteLine($"{AppDomain.CurrentDomain.FriendlyName}: parent process {_parentPid} is gone; stopping");
                RequestStop("parent exited");
            }
            if (orphanedAtNs != 0 && now - orphanedAtNs > (long)OrphanGrace.TotalNanoseconds)
            {
                RemoveSessionFiles();
                Environment.Exit(ExitOrphaned);
            }
            if (Volatile.Read(ref _control) is { } control && now >= nextBeatNs)
            {
                nextBeatNs = now + (long)HeartbeatInterval.TotalNanoseconds;
                if (now - Volatile.Read(ref _lastTickNs) < (long)StalledAfter.TotalNanoseconds)
                {
                    control.PublishHeartbeat(IsStopping ? "stopping" : "running");
                }
            }
        }
    }

    private static void RemoveSessionFiles()
    {
        if (Session is not { } session)
        {
            return;
        }
        foreach (var file in RingNames.FilesOf(session))
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    public void Dispose()
    {
        Volatile.Write(ref _control, null);
        _disposed.Cancel();
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
        _stopping.Dispose();
    }
}
