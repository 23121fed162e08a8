using Aqs.Shared.Contracts;
using NetMQ;
using NetMQ.Sockets;

namespace Aqs.Orchestration.Control;

/// <summary>
/// The launcher's command socket: a NetMQ reply socket on <c>127.0.0.1:(base port + 7)</c>, the last port of the
/// session's block, that takes a <see cref="Command"/> from another process (<c>aqs set</c>), publishes it on the
/// session's control plane as the orchestrator role, and answers "ok". Only the launcher holds the orchestrator's
/// publisher port, so this is how anyone else speaks to the kernels.
/// </summary>
public sealed class CommandSocket : IDisposable
{
    public const string Accepted = "ok";
    public const int PortOffset = ControlPlaneOptions.PortsPerSession - 1;

    private readonly ResponseSocket _socket = new();
    private readonly ControlPlane _control;

    public CommandSocket(int controlPort, ControlPlane control, ControlPlaneSecurity? security = null)
    {
        security ??= new ControlPlaneSecurity();
        _control = control;
        _socket.Options.Linger = TimeSpan.Zero;
        // Commands are a few hundred bytes: a peer announcing more is cut off before NetMQ allocates for it.
        _socket.Options.MaxMsgSize = ControlPlaneOptions.DefaultMaxMessageBytes;
        security.Keys?.Serve(_socket);
        _socket.Bind($"tcp://{security.BindAddress}:{controlPort + PortOffset}");
    }

    /// <summary>Commands relayed so far.</summary>
    public int Relayed { get; private set; }

    /// <summary>Requests refused because they were not a well-formed <see cref="Command"/> (garbage, other contracts, unknown versions).</summary>
    public int Refused { get; private set; }

    /// <summary>Answers every request waiting now (call from the run loop).</summary>
    public void Serve()
    {
        while (_socket.TryReceiveFrameBytes(TimeSpan.Zero, out var frame))
        {
            string answer;
            if (ContractCodec.TryDecode(frame, out var message, out var reason) && message is Command command)
            {
                _control.Publish(command);
                Relayed++;
                answer = Accepted;
            }
            else
            {
                Refused++;
                answer = message is null ? $"not a command ({reason})" : $"not a command ({message.GetType().Name})";
            }
            _socket.TrySendFrame(TimeSpan.FromMilliseconds(200), answer);
        }
    }

    /// <summary>Sends <paramref name="command"/> to the launcher of the session at <paramref name="controlPort"/>; its answer, or why none came.</summary>
    public static string Request(int controlPort, Command command, TimeSpan timeout, ControlPlaneSecurity? security = null)
    {
        security ??= new ControlPlaneSecurity();
        using var request = new RequestSocket();
        request.Options.Linger = TimeSpan.Zero;
        security.Keys?.Join(request);
        request.Connect($"tcp://{security.ConnectAddress}:{controlPort + PortOffset}");
        if (!request.TrySendFrame(timeout, ContractCodec.Encode(command)))
        {
            return "the launcher did not take the command (is the session running?)";
        }
        return request.TryReceiveFrameString(timeout, out var answer)
            ? answer
            : $"no answer from the launcher within {timeout.TotalSeconds:F0} s (is the session running?)";
    }

    public void Dispose() => _socket.Dispose();
}
