using System.Net;
using System.Net.Sockets;
using Aqs.Shared.Contracts;

namespace Aqs.Shared.Tests.Contracts.Infrastructure;

/// <summary>
/// Hands out base ports whose whole block is free right now, from 10000..19999: below the range
/// <see cref="ControlPlaneOptions.ForSession"/> derives from and below Linux's ephemeral ports, so
/// neither real sessions nor outgoing connections collide with tests. The starting slot is random
/// so parallel test processes rarely try the same block.
/// </summary>
internal static class FreePorts
{
    private const int First = 10000;
    private const int Slots = (19999 - First + 1) / ControlPlaneOptions.PortsPerSession;
    private static int _next = Random.Shared.Next(Slots);

    public static ControlPlaneOptions Options(TextWriter? log = null) =>
        new(NextBasePort()) { DiagnosticLog = log ?? TextWriter.Null };

    public static int NextBasePort()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var basePort = First + Interlocked.Increment(ref _next) % Slots * ControlPlaneOptions.PortsPerSession;
            if (BlockIsFree(basePort))
            {
                return basePort;
            }
        }
        throw new InvalidOperationException("no free block of loopback ports in 10000..19999");
    }

    private static bool BlockIsFree(int basePort)
    {
        for (var port = basePort; port < basePort + ControlPlaneOptions.PortsPerSession; port++)
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            try
            {
                listener.Start();
            }
            catch (SocketException)
            {
                return false;
            }
            finally
            {
                listener.Stop();
            }
        }
        return true;
    }
}
