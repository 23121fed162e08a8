using System.Runtime.InteropServices;

namespace Aqs.Shared.Kernel;

/// <summary>
/// Turns SIGINT/SIGTERM (and a Stop command) into one cancellation token, so a kernel drains,
/// closes the rings it owns and exits with code 0 instead of dying mid-frame.
/// </summary>
public sealed class KernelLifetime : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly PosixSignalRegistration[] _registrations;

    public KernelLifetime()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
    }

    public CancellationToken Stopping => _stopping.Token;

    public bool IsStopping => _stopping.IsCancellationRequested;

    public string? StopReason { get; private set; }

    public void RequestStop(string reason)
    {
        StopReason ??= reason;
        _stopping.Cancel();
    }

    private void OnSignal(PosixSignalContext context)
    {
        // Keep the process alive: the main loop sees the token, drains and exits by itself.
        context.Cancel = true;
        RequestStop(context.Signal.ToString());
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
        _stopping.Dispose();
    }
}
