using System.Buffers;
using MessagePack;

namespace Aqs.Shared.Contracts;

/// <summary>
/// Turns a contract into one MessagePack payload and back. The envelope is a 3-element array
/// <c>[schemaVersion, typeTag, body]</c>; the body is the contract as an integer-keyed array.
/// <para>
/// Decoding is hostile-input safe: it never throws, whatever the bytes. It reads with
/// <see cref="MessagePackSecurity.UntrustedData"/> (depth limit, collision-resistant hashing),
/// refuses trailing bytes, undefined enum values and missing strings, and says why it refused.
/// </para>
/// </summary>
public static class ContractCodec
{
    /// <summary>The serializer options every contract is read and written with.</summary>
    public static MessagePackSerializerOptions SerializerOptions { get; } =
        MessagePackSerializerOptions.Standard.WithSecurity(MessagePackSecurity.UntrustedData);

    private const int EnvelopeLength = 3;

    /// <summary>The payload for <paramref name="message"/>, which must be one of the contracts.</summary>
    /// <exception cref="ArgumentException">The type is not a control-plane contract (a programming error).</exception>
    public static byte[] Encode<T>(T message)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        EncodeTo(buffer, message);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the payload for <paramref name="message"/> into <paramref name="output"/> (reuse it to avoid allocating).</summary>
    public static void EncodeTo<T>(IBufferWriter<byte> output, T message)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(message);
        var entry = ContractRegistry.Get(message.GetType());
        var contract = (IControlContract)message;
        var writer = new MessagePackWriter(output);
        writer.WriteArrayHeader(EnvelopeLength);
        // The contract's own version goes on the envelope so a reader can refuse it before touching the body.
        writer.Write(contract.SchemaVersion);
        writer.Write((int)entry.Tag);
        entry.Write(ref writer, contract, SerializerOptions);
        writer.Flush();
    }

    /// <summary>Decodes one payload; on false, <paramref name="reason"/> says why and <paramref name="message"/> is null.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> frame, out object? message, out DropReason reason)
    {
        // MessagePackReader reads memory, not spans: copy into a rented buffer (control messages are small).
        var rented = ArrayPool<byte>.Shared.Rent(frame.Length);
        try
        {
            frame.CopyTo(rented);
            return TryDecode(rented.AsMemory(0, frame.Length), out message, out reason, out _);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Decodes one payload without copying it.</summary>
    public static bool TryDecode(ReadOnlyMemory<byte> frame, out object? message, out DropReason reason) =>
        TryDecode(frame, out message, out reason, out _);

    internal static bool TryDecode(ReadOnlyMemory<byte> frame, out object? message, out DropReason reason, out EnvelopeHeader header)
    {
        message = null;
        header = EnvelopeHeader.Unknown;
        try
        {
            reason = Decode(frame, out var contract, ref header);
            message = contract;
            return reason == DropReason.None;
        }
        catch (Exception)
        {
            // MessagePack signals bad input with several exception types (serialization, end of stream,
            // overflow, invalid operation); all of them mean the same thing here.
            reason = DropReason.Malformed;
            return false;
        }
    }

    private static DropReason Decode(ReadOnlyMemory<byte> frame, out IControlContract? message, ref EnvelopeHeader header)
    {
        message = null;
        var reader = new MessagePackReader(frame);
        if (reader.NextMessagePackType != MessagePackType.Array || reader.ReadArrayHeader() != EnvelopeLength)
        {
            return DropReason.Malformed;
        }
        if (reader.NextMessagePackType != MessagePackType.Integer)
        {
            return DropReason.Malformed;
        }
        var version = reader.ReadInt32();
        if (reader.NextMessagePackType != MessagePackType.Integer)
        {
            return DropReason.Malformed;
        }
        var tag = reader.ReadInt32();
        header = new EnvelopeHeader(version, tag);
        if (!ContractRegistry.TryGet(tag, out var entry))
        {
            return DropReason.UnknownType;
        }
        if (!entry.Reads(version))
        {
            return DropReason.UnknownVersion;
        }
        var body = entry.Read(ref reader, SerializerOptions);
        if (body is null || !reader.End || body.SchemaVersion != version || !entry.IsWellFormed(body))
        {
            return DropReason.Malformed;
        }
        message = body;
        return DropReason.None;
    }
}
