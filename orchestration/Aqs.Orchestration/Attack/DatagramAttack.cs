using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Aqs.Kernel.Network.Wire;

namespace Aqs.Orchestration.Attack;

/// <summary>The three kinds of datagram an attacker on the host sends to Kernel A's receive port.</summary>
public enum DatagramAttackKind
{
    /// <summary>A genuine datagram's header and payload with a fresh sequence number, sealed under a key of the attacker's own.</summary>
    Forged,
    /// <summary>A genuine datagram captured off loopback, resent unchanged seconds later.</summary>
    Replayed,
    /// <summary>Random bytes of random length, or a genuine-looking header of another session.</summary>
    Stranger,
}

/// <summary>
/// Sends forged, replayed and stranger datagrams to a live receive port, built from datagrams captured off loopback
/// (<see cref="LoopbackCapture"/>). Counts what it sent; the receiver must drop and count every one.
/// </summary>
public sealed class DatagramAttack : IDisposable
{
    // Forged sequences start this far above the captured ones: fresh to the replay window (so the tag is what refuses
    // them, not the window), and out of the genuine sender's reach in any test-length run.
    private const uint ForgedSequenceLead = 1u << 24;
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly IPEndPoint _target;
    private readonly IReadOnlyList<byte[]> _genuine;
    private readonly Random _random;
    private readonly AesGcm _wrongKey;
    private readonly Dictionary<DatagramAttackKind, long> _sent = Enum.GetValues<DatagramAttackKind>().ToDictionary(k => k, _ => 0L);
    private uint _forgedSequence;
    private int _replayNext;

    public DatagramAttack(int port, IReadOnlyList<byte[]> genuine, int seed)
    {
        if (genuine.Count == 0)
        {
            throw new ArgumentException("an attack needs captured genuine datagrams to forge and replay", nameof(genuine));
        }
        _target = new IPEndPoint(IPAddress.Loopback, port);
        _genuine = genuine;
        _random = new Random(seed);
        var key = new byte[DatagramSealer.KeyLength];
        _random.NextBytes(key);
        _wrongKey = new AesGcm(key, WireFormat.TagLength);
        _forgedSequence = genuine.Max(d => d.Length >= 12 ? BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(8)) : 0u) + ForgedSequenceLead;
    }

    public long Sent(DatagramAttackKind kind) => _sent[kind];

    public long SentTotal => _sent.Values.Sum();

    /// <summary>Sends one datagram of <paramref name="kind"/>.</summary>
    public void Send(DatagramAttackKind kind)
    {
        var datagram = kind switch
        {
            DatagramAttackKind.Forged => Forge(),
            DatagramAttackKind.Replayed => _genuine[_replayNext++ % _genuine.Count],
            _ => Stranger(),
        };
        _socket.SendTo(datagram, _target);
        _sent[kind]++;
    }

    private byte[] Forge()
    {
        var source = _genuine[_random.Next(_genuine.Count)];
        var forged = (byte[])source.Clone();
        if (forged.Length < WireFormat.HeaderLength + WireFormat.TagLength)
        {
            return forged; // not a sealed datagram: the receiver refuses it as malformed, still an attack datagram
        }
        var sequence = _forgedSequence++;
        BinaryPrimitives.WriteUInt32BigEndian(forged.AsSpan(8), sequence);
        forged[2] &= unchecked((byte)~(byte)PacketFlags.Encrypted); // authenticated only, as on loopback
        // The receiver's nonce: session id, the sender's role, the sequence (DatagramSealer.MakeNonce).
        Span<byte> nonce = stackalloc byte[12];
        forged.AsSpan(4, 4).CopyTo(nonce);
        nonce[4] = (byte)EndpointRole.Sender;
        BinaryPrimitives.WriteUInt32BigEndian(nonce[8..], sequence);
        var body = forged.AsSpan(0, forged.Length - WireFormat.TagLength);
        _wrongKey.Encrypt(nonce, ReadOnlySpan<byte>.Empty, Span<byte>.Empty, forged.AsSpan(body.Length), body);
        return forged;
    }

    private byte[] Stranger()
    {
        if (_random.Next(2) == 0)
        {
            var noise = new byte[_random.Next(1, WireFormat.MaxDatagram + 100)];
            _random.NextBytes(noise);
            return noise;
        }
        // A well-formed header of some other session, with noise after it.
        var other = (byte[])_genuine[_random.Next(_genuine.Count)].Clone();
        _random.NextBytes(other.AsSpan(Math.Min(other.Length, WireFormat.HeaderLength)));
        if (other.Length >= 8)
        {
            var session = BinaryPrimitives.ReadUInt32BigEndian(other.AsSpan(4));
            BinaryPrimitives.WriteUInt32BigEndian(other.AsSpan(4), session ^ (uint)_random.Next(1, int.MaxValue));
        }
        return other;
    }

    public void Dispose()
    {
        _socket.Dispose();
        _wrongKey.Dispose();
    }
}
