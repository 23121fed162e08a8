using System.Net;
using System.Net.Sockets;
using Aqs.Shared.Cli;

namespace Aqs.Kernel.Network;

/// <summary>Parses <c>--peer host:port</c> (an IPv4/IPv6 literal or a name, resolved once at start).</summary>
public static class PeerAddress
{
    public static IPEndPoint Parse(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), out var port) || port is < 1 or > 65535)
        {
            throw new UserFacingException($"--peer: '{text}' is not host:port with a port in 1..65535", CommandLineHost.ExitUsage);
        }
        var host = text[..colon].Trim('[', ']');
        if (IPAddress.TryParse(host, out var address))
        {
            return new IPEndPoint(address, port);
        }
        try
        {
            var addresses = Dns.GetHostAddresses(host);
            var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
            return chosen is null
                ? throw new UserFacingException($"--peer: '{host}' has no address", CommandLineHost.ExitUsage)
                : new IPEndPoint(chosen, port);
        }
        catch (SocketException e)
        {
            throw new UserFacingException($"--peer: cannot resolve '{host}': {e.Message}", CommandLineHost.ExitUsage);
        }
    }
}
