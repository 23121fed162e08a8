using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Aqs.Orchestration.Attack;

/// <summary>
/// Copies the UDP payloads sent to <c>127.0.0.1:port</c> off the loopback interface, the way an on-path attacker
/// records datagrams to replay them: an <c>AF_PACKET</c> socket (needs CAP_NET_RAW, i.e. root) on its own thread.
/// Loopback shows each packet twice (outgoing and incoming); only the incoming copy (<c>PACKET_HOST</c>) is kept.
/// </summary>
public sealed partial class LoopbackCapture : IDisposable
{
    private const int AF_PACKET = 17;
    private const int SOCK_DGRAM = 2;
    private const ushort ETH_P_IP = 0x0800;
    private const int SOL_SOCKET = 1;
    private const int SO_RCVTIMEO = 20;
    private const byte PACKET_HOST = 0;

    private readonly int _fd;
    private readonly int _port;
    private readonly int _limit;
    private readonly List<byte[]> _captured = [];
    private readonly Thread _thread;
    private volatile bool _stopping;

    private LoopbackCapture(int fd, int port, int limit)
    {
        _fd = fd;
        _port = port;
        _limit = limit;
        _thread = new Thread(Loop) { IsBackground = true, Name = "loopback-capture" };
        _thread.Start();
    }

    /// <summary>Starts capturing up to <paramref name="limit"/> datagrams to <paramref name="port"/>; null with the reason when the socket cannot be had.</summary>
    public static LoopbackCapture? Start(int port, int limit, out string? refused)
    {
        var fd = socket(AF_PACKET, SOCK_DGRAM, BinaryPrimitives.ReverseEndianness(ETH_P_IP));
        if (fd < 0)
        {
            refused = $"AF_PACKET socket refused (errno {Marshal.GetLastPInvokeError()}; capturing needs CAP_NET_RAW)";
            return null;
        }
        Span<long> timeout = [0, 100_000]; // struct timeval { 0 s, 100 ms }: the thread checks for Dispose this often
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, ref MemoryMarshal.GetReference(MemoryMarshal.AsBytes(timeout)), 16);
        refused = null;
        return new LoopbackCapture(fd, port, limit);
    }

    /// <summary>Copies of the datagrams captured so far, in arrival order.</summary>
    public IReadOnlyList<byte[]> Captured
    {
        get
        {
            lock (_captured)
            {
                return _captured.ToList();
            }
        }
    }

    private void Loop()
    {
        var buffer = new byte[65536];
        Span<byte> address = stackalloc byte[20]; // struct sockaddr_ll
        while (!_stopping)
        {
            var length = 20;
            var n = recvfrom(_fd, ref buffer[0], buffer.Length, 0, ref address[0], ref length);
            if (n <= 0 || address[10] != PACKET_HOST)
            {
                continue;
            }
            var packet = buffer.AsSpan(0, (int)n);
            // IPv4, UDP, to 127.0.0.1:port.
            if (packet.Length < 28 || packet[0] >> 4 != 4 || packet[9] != 17 || BinaryPrimitives.ReadUInt32BigEndian(packet[16..]) != 0x7f000001)
            {
                continue;
            }
            var ipHeader = (packet[0] & 0xf) * 4;
            if (packet.Length < ipHeader + 8 || BinaryPrimitives.ReadUInt16BigEndian(packet[(ipHeader + 2)..]) != _port)
            {
                continue;
            }
            var udpLength = BinaryPrimitives.ReadUInt16BigEndian(packet[(ipHeader + 4)..]);
            if (udpLength < 8 || ipHeader + udpLength > packet.Length)
            {
                continue;
            }
            lock (_captured)
            {
                if (_captured.Count < _limit)
                {
                    _captured.Add(packet.Slice(ipHeader + 8, udpLength - 8).ToArray());
                }
            }
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join();
        close(_fd);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setsockopt(int fd, int level, int name, ref byte value, int length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint recvfrom(int fd, ref byte buffer, nint length, int flags, ref byte address, ref int addressLength);

    [LibraryImport("libc")]
    private static partial int close(int fd);
}
