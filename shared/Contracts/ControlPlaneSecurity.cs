using System.Net;
using Aqs.Shared.Cli;

namespace Aqs.Shared.Contracts;

/// <summary>
/// Where a session's control sockets bind and whether they speak CURVE. Loopback by default: only processes on this
/// host reach it. Any other address (another interface, 0.0.0.0) requires <see cref="Keys"/>, so that nothing on the
/// network can talk to the kernels without the session's keys.
/// </summary>
public sealed record ControlPlaneSecurity
{
    public const string Loopback = "127.0.0.1";

    /// <summary>The address every bound control socket of this process uses.</summary>
    public string BindAddress { get; init; } = Loopback;

    /// <summary>CURVE keys; required unless <see cref="BindAddress"/> is loopback.</summary>
    public ControlPlaneKeys? Keys { get; init; }

    /// <summary>What this process uses when its <see cref="ControlPlaneOptions"/> name none: set once from the kernel's
    /// <c>--control-bind</c>/<c>--control-keys</c> (every kernel builds its options its own way; security is per process).</summary>
    public static ControlPlaneSecurity Process { get; set; } = new();

    /// <summary>The address a peer on this host connects to: loopback for a wildcard bind, else the bound address.</summary>
    public string ConnectAddress => BindAddress is "0.0.0.0" or "*" or "::" ? Loopback : BindAddress;

    public static bool IsLoopback(string address) =>
        address == "localhost" || (IPAddress.TryParse(address, out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>The settings for <c>--control-bind ADDRESS --control-keys FILE</c>; one-line errors (exit 2).</summary>
    public static ControlPlaneSecurity From(string? bindAddress, string? keysFile)
    {
        var bind = bindAddress ?? Loopback;
        if (bind != "*" && !IPAddress.TryParse(bind, out _))
        {
            throw new UserFacingException($"--control-bind: '{bind}' is not an IP address", CommandLineHost.ExitUsage);
        }
        var keys = keysFile is null ? null : ControlPlaneKeys.Load(keysFile);
        if (keys is null && !IsLoopback(bind))
        {
            throw new UserFacingException(
                $"--control-bind {bind}: a control plane off loopback needs CURVE keys (--control-keys FILE; aqs run --control-bind makes them)",
                CommandLineHost.ExitUsage);
        }
        return new ControlPlaneSecurity { BindAddress = bind, Keys = keys };
    }
}
