using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;

namespace Aqs.Kernel.Network.Wire;

/// <summary>
/// AES-GCM (256-bit session key) over every datagram: the tag covers header and payload, the payload is also
/// encrypted when <see cref="Encrypts"/>. The nonce is session id, role and transport sequence, and the sequence
/// is assigned here and never repeats, so no nonce is reused under a key. Received datagrams that are malformed,
/// of another session, replayed, or fail the tag are dropped and counted in <see cref="Drops"/>.
/// Thread contract: one thread may <see cref="Seal"/> while another <see cref="Open"/>s; neither is re-entrant.
/// </summary>
public sealed class DatagramSealer : IDisposable
{
    public const int KeyLength = 32;
    private const int NonceLength = 12;

    private readonly AesGcm _sealCipher;
    private readonly AesGcm _openCipher;
    private readonly ReplayWindow _window = new();
    private readonly EndpointRole _role;
    private readonly EndpointRole _peerRole;
    private long _nextSequence;
    private DropCounters _drops;
    private long _accepted;

    /// <param name="key">The session's 32-byte key, shared by both ends.</param>
    /// <param name="sessionId">Session id both ends put in every header.</param>
    /// <param name="role">This end's role; the peer must have the other.</param>
    /// <param name="encrypt">Encrypt payloads we seal (see <see cref="ShouldEncrypt"/>); authentication is always on.</param>
    /// <param name="requireEncryption">Drop received datagrams whose payload is not encrypted.</param>
    public DatagramSealer(ReadOnlySpan<byte> key, uint sessionId, EndpointRole role, bool encrypt, bool requireEncryption = false)
    {
        if (key.Length != KeyLength)
        {
            throw new ArgumentException($"session key must be {KeyLength} bytes: length={key.Length}", nameof(key));
        }
        if (role is not (EndpointRole.Sender or EndpointRole.Receiver))
        {
            throw new ArgumentOutOfRangeException(nameof(role), role, "role must be Sender or Receiver");
        }
        _sealCipher = new AesGcm(key, WireFormat.TagLength);
        _openCipher = new AesGcm(key, WireFormat.TagLength);
        SessionId = sessionId;
        _role = role;
        _peerRole = role == EndpointRole.Sender ? EndpointRole.Receiver : EndpointRole.Sender;
        Encrypts = encrypt;
        RequiresEncryption = requireEncryption;
    }

    public uint SessionId { get; }

    public bool Encrypts { get; }

    public bool RequiresEncryption { get; }

    /// <summary>Snapshot of the drop counters (read from the opening thread, or accept a torn snapshot).</summary>
    public DropCounters Drops => _drops;

    /// <summary>Datagrams opened successfully.</summary>
    public long Accepted => _accepted;

    /// <summary>Encryption default: on for any peer that is not loopback.</summary>
    public static bool ShouldEncrypt(IPAddress peer) => !IPAddress.IsLoopback(peer);

    /// <summary>A new random session key.</summary>
    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(KeyLength);

    /// <summary>
    /// Seals <paramref name="source"/> (a header written by <see cref="PacketHeaderCodec.Write"/> plus its payload) into
    /// <paramref name="destination"/>: stamps session id, the next transport sequence and <paramref name="sendTimeUs"/>,
    /// sets <see cref="PacketFlags.Encrypted"/> when encrypting, appends the tag. <paramref name="source"/> is left
    /// untouched (keep it for a retransmission). Returns the sealed length.
    /// </summary>
    public int Seal(ReadOnlySpan<byte> source, Span<byte> destination, ulong sendTimeUs, out uint sequence)
    {
        if (source.Length < WireFormat.HeaderLength || source.Length > WireFormat.HeaderLength + WireFormat.MaxPayload)
        {
            throw new ArgumentException($"datagram must be {WireFormat.HeaderLength}..{WireFormat.HeaderLength + WireFormat.MaxPayload} bytes: length={source.Length}", nameof(source));
        }
        var sealedLength = source.Length + WireFormat.TagLength;
        if (destination.Length < sealedLength)
        {
            throw new ArgumentException($"destination needs {sealedLength} bytes: length={destination.Length}", nameof(destination));
        }
        var next = Interlocked.Increment(ref _nextSequence) - 1;
        if (next > uint.MaxValue)
        {
            throw new InvalidOperationException("session has used all 2^32 transport sequences; start a new session with a new key");
        }
        sequence = (uint)next;
        var header = destination[..WireFormat.HeaderLength];
        source[..WireFormat.HeaderLength].CopyTo(header);
        BinaryPrimitives.WriteUInt32BigEndian(header[WireFormat.SessionOffset..], SessionId);
        BinaryPrimitives.WriteUInt32BigEndian(header[WireFormat.SequenceOffset..], sequence);
        BinaryPrimitives.WriteUInt64BigEndian(header[WireFormat.SendTimeOffset..], sendTimeUs);
        var flags = (PacketFlags)header[WireFormat.FlagsOffset] & ~PacketFlags.Encrypted;
        header[WireFormat.FlagsOffset] = (byte)(Encrypts ? flags | PacketFlags.Encrypted : flags);

        Span<byte> nonce = stackalloc byte[NonceLength];
        MakeNonce(nonce, SessionId, _role, sequence);
        var payload = source[WireFormat.HeaderLength..];
        var sealedPayload = destination.Slice(WireFormat.HeaderLength, payload.Length);
        var tag = destination.Slice(source.Length, WireFormat.TagLength);
        if (Encrypts)
        {
            _sealCipher.Encrypt(nonce, payload, sealedPayload, tag, header);
        }
        else
        {
            payload.CopyTo(sealedPayload);
            _sealCipher.Encrypt(nonce, ReadOnlySpan<byte>.Empty, Span<byte>.Empty, tag, destination[..source.Length]);
        }
        return sealedLength;
    }

    /// <summary>
    /// Checks a received datagram and, when <see cref="OpenResult.Accepted"/>, decrypts its payload in place and
    /// returns its header; the payload is <c>datagram.Slice(WireFormat.HeaderLength, header.PayloadLength)</c>.
    /// Any other result was counted in <see cref="Drops"/>; do not look at the datagram further. Never throws.
    /// </summary>
    public OpenResult Open(Span<byte> datagram, out PacketHeader header)
    {
        var result = OpenCore(datagram, out header);
        if (result == OpenResult.Accepted)
        {
            _accepted++;
        }
        else
        {
            header = default;
            _drops.Count(result);
        }
        return result;
    }

    private OpenResult OpenCore(Span<byte> datagram, out PacketHeader header)
    {
        header = default;
        if (datagram.Length < WireFormat.HeaderLength + WireFormat.TagLength || datagram.Length > WireFormat.MaxDatagram)
        {
            return OpenResult.Malformed;
        }
        var body = datagram[..^WireFormat.TagLength];
        var error = PacketHeaderCodec.TryParse(body, out header);
        if (error != HeaderError.None)
        {
            return error == HeaderError.UnsupportedVersion ? OpenResult.UnsupportedVersion : OpenResult.Malformed;
        }
        if (header.SessionId != SessionId)
        {
            return OpenResult.WrongSession;
        }
        if (!_window.IsFresh(header.Sequence))
        {
            return OpenResult.Replayed;
        }
        var encrypted = (header.Flags & PacketFlags.Encrypted) != 0;
        if (RequiresEncryption && !encrypted)
        {
            return OpenResult.NotEncrypted;
        }
        Span<byte> nonce = stackalloc byte[NonceLength];
        MakeNonce(nonce, SessionId, _peerRole, header.Sequence);
        var tag = datagram[^WireFormat.TagLength..];
        try
        {
            if (encrypted)
            {
                var payload = body[WireFormat.HeaderLength..];
                _openCipher.Decrypt(nonce, payload, tag, payload, body[..WireFormat.HeaderLength]);
            }
            else
            {
                _openCipher.Decrypt(nonce, ReadOnlySpan<byte>.Empty, tag, Span<byte>.Empty, body);
            }
        }
        catch (CryptographicException)
        {
            // .NET has no non-throwing AES-GCM decrypt; a forged datagram costs an exception, never a crash.
            return OpenResult.BadTag;
        }
        _window.Accept(header.Sequence);
        return OpenResult.Accepted;
    }

    private static void MakeNonce(Span<byte> nonce, uint sessionId, EndpointRole role, uint sequence)
    {
        BinaryPrimitives.WriteUInt32BigEndian(nonce, sessionId);
        nonce[4] = (byte)role;
        nonce[5] = 0;
        nonce[6] = 0;
        nonce[7] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(nonce[8..], sequence);
    }

    public void Dispose()
    {
        _sealCipher.Dispose();
        _openCipher.Dispose();
    }
}
