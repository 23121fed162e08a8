using System.CommandLine;
using Aqs.Shared.Cli;
using Aqs.Shared.Contracts;
using NetMQ;
using NetMQ.Sockets;

namespace Aqs.Orchestration.Control;

/// <summary>
/// <c>aqs probe --control-port P --role encode</c>: exit 0 when that kernel's heartbeat arrives on the session's
/// control plane in time, 1 with one line otherwise. A container's liveness and readiness probe (deploy/k8s): the
/// same heartbeat the launcher's supervisor watches, so a hung kernel fails its probe.
/// </summary>
public static class ProbeCommand
{
    public static System.CommandLine.Command Create()
    {
        var port = new Option<int>("--control-port") { Description = "the session's control base port", Required = true };
        var role = new Option<string>("--role") { Description = "preprocess, encode, network or display", Required = true };
        var timeout = new Option<string>("--timeout") { Description = "how long to wait for a heartbeat", DefaultValueFactory = _ => "3s" };
        var command = new System.CommandLine.Command("probe", "exit 0 when a kernel's heartbeat arrives in time (container probes)") { port, role, timeout };
        command.SetAction(parse =>
        {
            var text = parse.GetValue(role)!;
            if (!Enum.TryParse<KernelRole>(text, ignoreCase: true, out var kernel) || kernel == KernelRole.Orchestrator || int.TryParse(text, out _))
            {
                throw new UserFacingException($"--role: '{text}' is not preprocess, encode, network or display", CommandLineHost.ExitUsage);
            }
            var wait = DurationParser.Parse(parse.GetValue(timeout)!, "--timeout");
            var options = new ControlPlaneOptions(parse.GetValue(port));
            if (HeartbeatWithin(options, kernel, wait) is { } beat)
            {
                Console.Out.WriteLine($"aqs probe: {kernel} pid {beat.Pid} {beat.State}, up {beat.UptimeMs / 1000.0:F1} s");
                return 0;
            }
            Console.Error.WriteLine($"aqs probe: no heartbeat from {kernel} on {options.EndpointOf(kernel)} within {wait.TotalSeconds:F1} s");
            return CommandLineHost.ExitFailure;
        });
        return command;
    }

    /// <summary>The first heartbeat <paramref name="role"/> publishes within <paramref name="timeout"/>, or null.</summary>
    public static Heartbeat? HeartbeatWithin(ControlPlaneOptions options, KernelRole role, TimeSpan timeout)
    {
        using var socket = new SubscriberSocket();
        socket.Options.Linger = TimeSpan.Zero;
        socket.Connect(options.EndpointOf(role));
        socket.SubscribeToAnyTopic();
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (!socket.TryReceiveFrameBytes(deadline - DateTime.UtcNow, out _, out var more) || !more)
            {
                continue;
            }
            if (socket.TryReceiveFrameBytes(TimeSpan.FromMilliseconds(200), out var body)
                && ContractCodec.TryDecode(body, out var message, out _) && message is Heartbeat beat && beat.Role == role)
            {
                return beat;
            }
        }
        return null;
    }
}
