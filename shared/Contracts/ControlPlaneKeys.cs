using Aqs.Shared.Cli;
using Aqs.Shared.Security;
using NetMQ;

namespace Aqs.Shared.Contracts;

/// <summary>
/// A session's CURVE keys (ZeroMQ's CurveZMQ, as NetMQ implements it): one server key pair that every bound socket of
/// the session (each role's publisher, the launcher's command socket) serves with, and one client key pair that every
/// connecting socket uses. A peer that does not know the server's public key cannot complete the handshake: it is
/// refused before a single message reaches us. The file is written 0600 by the orchestrator and refused when it is not
/// the user's own and 0600 (<see cref="OwnerOnlyFile"/>); its secrets are never logged.
/// </summary>
public sealed class ControlPlaneKeys
{
    private const string ServerSecretLine = "server-secret ";
    private const string ClientSecretLine = "client-secret ";

    public NetMQCertificate Server { get; }
    public NetMQCertificate Client { get; }

    private ControlPlaneKeys(NetMQCertificate server, NetMQCertificate client)
    {
        Server = server;
        Client = client;
    }

    /// <summary>Fresh key pairs.</summary>
    public static ControlPlaneKeys Create() => new(new NetMQCertificate(), new NetMQCertificate());

    /// <summary>Writes the two secret keys (Z85) to a new file of mode 0600; the public keys follow from them.</summary>
    public void Save(string path) =>
        OwnerOnlyFile.Write(path, $"{ServerSecretLine}{Server.SecretKeyZ85}\n{ClientSecretLine}{Client.SecretKeyZ85}\n");

    /// <summary>Reads a file <see cref="Save"/> wrote; one-line errors (exit 2) name what is wrong, never the key.</summary>
    public static ControlPlaneKeys Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new UserFacingException($"--control-keys: {path} does not exist", CommandLineHost.ExitUsage);
        }
        OwnerOnlyFile.Check(path, "--control-keys:", CommandLineHost.ExitUsage);
        string? server = null, client = null;
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith(ServerSecretLine, StringComparison.Ordinal))
            {
                server = line[ServerSecretLine.Length..].Trim();
            }
            else if (line.StartsWith(ClientSecretLine, StringComparison.Ordinal))
            {
                client = line[ClientSecretLine.Length..].Trim();
            }
        }
        if (server is null || client is null)
        {
            throw new UserFacingException($"--control-keys: {path} lacks its '{(server is null ? ServerSecretLine : ClientSecretLine).Trim()}' line", CommandLineHost.ExitUsage);
        }
        return new ControlPlaneKeys(FromSecret(server, path), FromSecret(client, path));
    }

    private static NetMQCertificate FromSecret(string z85, string path)
    {
        // A Z85 key is 40 characters for 32 bytes; anything else is not a key (and is not echoed back).
        if (z85.Length != 40)
        {
            throw new UserFacingException($"--control-keys: {path} holds a key of {z85.Length} characters; a CURVE key is 40 (Z85)", CommandLineHost.ExitUsage);
        }
        try
        {
            return NetMQCertificate.CreateFromSecretKey(z85);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or IndexOutOfRangeException or InvalidOperationException)
        {
            throw new UserFacingException($"--control-keys: {path} holds a key that is not Z85", CommandLineHost.ExitUsage);
        }
    }

    /// <summary>Makes <paramref name="socket"/> a CURVE server with the session's server key.</summary>
    public void Serve(NetMQSocket socket)
    {
        socket.Options.CurveServer = true;
        socket.Options.CurveCertificate = Server;
    }

    /// <summary>Makes <paramref name="socket"/> a CURVE client of the session's servers.</summary>
    public void Join(NetMQSocket socket)
    {
        socket.Options.CurveServerKey = Server.PublicKey;
        socket.Options.CurveCertificate = Client;
    }
}
