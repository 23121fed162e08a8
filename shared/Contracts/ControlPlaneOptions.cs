using System.Text;
using Aqs.Shared.Cli;

namespace Aqs.Shared.Contracts;

/// <summary>
/// Where a session's control plane lives. Each role publishes on <c>127.0.0.1:(BasePort + (int)role)</c>;
/// a session reserves <see cref="PortsPerSession"/> consecutive ports starting at <see cref="BasePort"/>.
/// </summary>
public sealed record ControlPlaneOptions(int BasePort)
{
    /// <summary>Ports a session reserves; more than the five roles so a role can be added without moving everyone.</summary>
    public const int PortsPerSession = 8;

    /// <summary>
    /// Range <see cref="ForSession"/> hashes into. It stays below Linux's default ephemeral range
    /// (32768..60999) so an outgoing connection of some other program cannot already hold our port.
    /// </summary>
    public const int DerivedPortFirst = 20000;
    public const int DerivedPortLast = 32767;

    public const int DefaultMaxMessageBytes = 64 * 1024;

    public int BasePort { get; } = BasePort is >= 1 and <= 65536 - PortsPerSession
        ? BasePort
        : throw new UserFacingException(
            $"control base port {BasePort} is out of range: use 1..{65536 - PortsPerSession} (--control-port)");

    /// <summary>Where drop notices go; null means standard error.</summary>
    public TextWriter? DiagnosticLog { get; init; }

    /// <summary>
    /// Largest message a subscriber accepts; a peer that sends more is disconnected by NetMQ before we
    /// allocate for it. Control messages are a few hundred bytes.
    /// </summary>
    public int MaxMessageBytes { get; init; } = DefaultMaxMessageBytes;

    /// <summary>
    /// How long <see cref="ControlPlane.Start"/> keeps retrying a port that is in use. A restarted kernel
    /// can race the asynchronous close of its predecessor's socket; anything longer is another owner.
    /// </summary>
    public TimeSpan BindRetry { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Bind address and CURVE keys; null means the process's (<see cref="ControlPlaneSecurity.Process"/>).</summary>
    public ControlPlaneSecurity? Security { get; init; }

    /// <summary>The security in force: this record's, else the process's.</summary>
    public ControlPlaneSecurity EffectiveSecurity => Security ?? ControlPlaneSecurity.Process;

    /// <summary>The endpoint <paramref name="role"/> binds its publisher to.</summary>
    public string BindEndpointOf(KernelRole role) => $"tcp://{EffectiveSecurity.BindAddress}:{PortOf(role)}";

    /// <summary>The port <paramref name="role"/> publishes on.</summary>
    public int PortOf(KernelRole role) => BasePort + (int)role;

    /// <summary>The endpoint <paramref name="role"/> publishes on.</summary>
    public string EndpointOf(KernelRole role) => $"tcp://{EffectiveSecurity.ConnectAddress}:{PortOf(role)}";

    /// <summary>
    /// Options whose base port is a stable hash (FNV-1a over UTF-8) of <paramref name="session"/>, so
    /// every process of a session agrees on the ports without being told.
    /// </summary>
    public static ControlPlaneOptions ForSession(string session) => new(DerivePort(session));

    /// <summary>The base port <see cref="ForSession"/> picks for <paramref name="session"/>.</summary>
    public static int DerivePort(string session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.Length == 0)
        {
            throw new UserFacingException("session name must not be empty (--session)");
        }
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(session))
        {
            hash = (hash ^ b) * 16777619u;
        }
        const int slots = (DerivedPortLast - DerivedPortFirst + 1) / PortsPerSession;
        return DerivedPortFirst + (int)(hash % slots) * PortsPerSession;
    }
}
