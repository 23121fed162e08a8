using System.Collections.Concurrent;
using Aqs.Shared.Contracts;
using NetMQ;
using NetMQ.Sockets;

namespace Aqs.Orchestration.Tests.Infrastructure;

/// <summary>
/// Listens to a running session's control plane from outside, as a kernel's subscriber does: a NetMQ SUB connected
/// to every role's publisher, every topic, decoded with the real codec. Receives on its own thread.
/// </summary>
public sealed class ControlPlaneSpy : IDisposable
{
    private readonly SubscriberSocket _socket = new();
    private readonly Thread _thread;
    private volatile bool _stopping;

    public ConcurrentQueue<object> Messages { get; } = new();

    public ControlPlaneSpy(int controlPort)
    {
        _socket.Options.Linger = TimeSpan.Zero;
        foreach (var role in Enum.GetValues<KernelRole>())
        {
            _socket.Connect(new ControlPlaneOptions(controlPort).EndpointOf(role));
        }
        _socket.SubscribeToAnyTopic();
        _thread = new Thread(Receive) { IsBackground = true };
        _thread.Start();
    }

    public IEnumerable<T> Of<T>() => Messages.OfType<T>();

    private void Receive()
    {
        while (!_stopping)
        {
            if (!_socket.TryReceiveFrameBytes(TimeSpan.FromMilliseconds(100), out _, out var more) || !more)
            {
                continue;
            }
            if (_socket.TryReceiveFrameBytes(TimeSpan.FromMilliseconds(100), out var body)
                && ContractCodec.TryDecode(body, out var message, out _) && message is not null)
            {
                Messages.Enqueue(message);
            }
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join(TimeSpan.FromSeconds(2));
        _socket.Dispose();
    }
}
