using Aqs.Orchestration.Control;
using Aqs.Orchestration.Run;
using Aqs.Shared.Contracts;
using NetMQ;
using NetMQ.Sockets;

namespace Aqs.Orchestration.Tests.Control;

/// <summary>The launcher's command socket off loopback answers only clients holding the session's CURVE keys.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class CommandSocketSecurityTests
{
    private string _keys = "";
    private int _port;

    [SetUp]
    public void Setup()
    {
        _keys = Path.Combine(Path.GetTempPath(), "aqs-cmd-keys-" + Guid.NewGuid().ToString("N")[..8]);
        ControlPlaneKeys.Create().Save(_keys);
        _port = PipelineRun.FindFreePortBlock(ControlPlaneOptions.PortsPerSession);
    }

    [TearDown]
    public void Remove() => File.Delete(_keys);

    [Test]
    public void Client_with_the_session_keys_is_answered()
    {
        var security = ControlPlaneSecurity.From("0.0.0.0", _keys);

        var (answer, socket) = Serve(security, () => CommandSocket.Request(_port, Stop, TimeSpan.FromSeconds(5), security));

        Assert.That(answer, Is.EqualTo(CommandSocket.Accepted));
        Assert.That(socket.Relayed, Is.EqualTo(1));
    }

    [Test]
    public void Client_without_keys_is_refused_and_nothing_is_relayed()
    {
        var security = ControlPlaneSecurity.From("0.0.0.0", _keys);

        var (answer, socket) = Serve(security, () => CommandSocket.Request(_port, Stop, TimeSpan.FromSeconds(1)));

        Assert.That(answer, Does.StartWith("no answer"));
        Assert.That(socket.Relayed, Is.Zero);
    }

    [Test]
    public void Client_with_keys_of_its_own_is_refused_and_nothing_is_relayed()
    {
        var security = ControlPlaneSecurity.From("0.0.0.0", _keys);
        var stranger = new ControlPlaneSecurity { BindAddress = "0.0.0.0", Keys = ControlPlaneKeys.Create() };

        var (answer, socket) = Serve(security, () => CommandSocket.Request(_port, Stop, TimeSpan.FromSeconds(1), stranger));

        Assert.That(answer, Does.StartWith("no answer"));
        Assert.That(socket.Relayed, Is.Zero);
    }

    [Test]
    public void Garbage_from_a_keyed_client_is_answered_in_one_line_and_counted()
    {
        var security = ControlPlaneSecurity.From("0.0.0.0", _keys);

        var (answer, socket) = Serve(security, () =>
        {
            using var request = new RequestSocket();
            request.Options.Linger = TimeSpan.Zero;
            security.Keys!.Join(request);
            request.Connect($"tcp://127.0.0.1:{_port + CommandSocket.PortOffset}");
            request.SendFrame(new byte[] { 0xc1, 0xff, 0x00, 0x13 });
            return request.TryReceiveFrameString(TimeSpan.FromSeconds(5), out var a) ? a : "none";
        });

        Assert.That(answer, Does.StartWith("not a command").And.Not.Contain("\n"));
        Assert.That(socket.Refused, Is.EqualTo(1));
        Assert.That(socket.Relayed, Is.Zero);
    }

    private static Command Stop => new() { Kind = CommandKind.Stop, Target = KernelRole.Encode };

    /// <summary>Runs <paramref name="client"/> while a real command socket (and its control plane) serves on another thread.</summary>
    private (string Answer, CommandSocket Socket) Serve(ControlPlaneSecurity security, Func<string> client)
    {
        using var control = ControlPlane.Start("cmd", KernelRole.Orchestrator,
            new ControlPlaneOptions(_port) { DiagnosticLog = TextWriter.Null, Security = security });
        var socket = new CommandSocket(_port, control, security);
        using var stop = new CancellationTokenSource();
        var server = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                socket.Serve();
                Thread.Sleep(5);
            }
        });
        try
        {
            return (client(), socket);
        }
        finally
        {
            stop.Cancel();
            server.Wait();
            socket.Dispose();
        }
    }
}
