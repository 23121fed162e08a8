using System.Net.Sockets;
using Aqs.Orchestration.Control;
using Aqs.Shared.Contracts;
using NetMQ;
using NetMQ.Sockets;

namespace Aqs.Orchestration.Attack;

/// <summary>
/// Forged and garbage control messages from a process on the same host: to the launcher's command socket (the one
/// way in for commands) and raw bytes to every role's publisher port. Counts what it sent and what came back.
/// </summary>
public sealed class ControlAttack : IDisposable
{
    private readonly int _controlPort;
    private readonly Random _random;
    private readonly RequestSocket _request = new();

    public ControlAttack(int controlPort, int seed)
    {
        _controlPort = controlPort;
        _random = new Random(seed);
        _request.Options.Linger = TimeSpan.Zero;
        _request.Connect($"tcp://127.0.0.1:{controlPort + CommandSocket.PortOffset}");
    }

    /// <summary>Messages sent to the command socket.</summary>
    public int CommandMessagesSent { get; private set; }
    /// <summary>Answers that were not "ok" (every one should be a one-line refusal).</summary>
    public int CommandMessagesRefused { get; private set; }
    /// <summary>Answers that came back "ok": each a forged message the launcher relayed (must stay 0).</summary>
    public int CommandMessagesAccepted { get; private set; }
    /// <summary>Connections that wrote raw garbage to a role's publisher port.</summary>
    public int PublisherGarbageSent { get; private set; }

    /// <summary>
    /// One forged or garbage message to the command socket, taking turns: random bytes, a keyframe request (a
    /// contract that is not a command), a Stop command of an unknown schema version, a command envelope with an
    /// unknown type tag, a command whose body is cut short.
    /// </summary>
    public void SendCommandMessage()
    {
        var stop = ContractCodec.Encode(new Command { Kind = CommandKind.Stop, Target = KernelRole.Encode });
        byte[] message;
        switch (CommandMessagesSent % 5)
        {
            case 0:
                message = new byte[_random.Next(1, 512)];
                _random.NextBytes(message);
                break;
            case 1:
                message = ContractCodec.Encode(new KeyframeRequest { TimestampNs = 1, From = KernelRole.Network, Reason = "attacker" });
                break;
            case 2:
                message = (byte[])stop.Clone();
                message[1] = 0x7f; // schema version 127 (envelope: fixarray 3, version, tag, body)
                break;
            case 3:
                message = (byte[])stop.Clone();
                message[2] = 0x7e; // type tag 126
                break;
            default:
                message = stop[..^1];
                break;
        }
        CommandMessagesSent++;
        if (!_request.TrySendFrame(TimeSpan.FromSeconds(2), message) || !_request.TryReceiveFrameString(TimeSpan.FromSeconds(5), out var answer))
        {
            throw new InvalidOperationException("the command socket did not answer a control message within 5 s");
        }
        if (answer == CommandSocket.Accepted)
        {
            CommandMessagesAccepted++;
        }
        else
        {
            CommandMessagesRefused++;
        }
    }

    /// <summary>Connects to every role's publisher port and writes random bytes where NetMQ expects its greeting.</summary>
    public void SendPublisherGarbage()
    {
        foreach (var role in Enum.GetValues<KernelRole>())
        {
            try
            {
                using var tcp = new TcpClient();
                tcp.Connect("127.0.0.1", _controlPort + (int)role);
                var garbage = new byte[_random.Next(1, 256)];
                _random.NextBytes(garbage);
                tcp.GetStream().Write(garbage);
                PublisherGarbageSent++;
            }
            catch (SocketException)
            {
                // A kernel between restarts: nothing listens, nothing to attack.
            }
        }
    }

    public void Dispose() => _request.Dispose();
}
