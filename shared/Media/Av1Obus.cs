namespace Aqs.Shared.Media;

/// <summary>
/// Walks the OBUs of an AV1 temporal unit in low-overhead format (AV1 spec 5.3: a one-byte header
/// <c>forbidden | type:4 | extension | has_size | reserved</c>, an optional extension byte, a LEB128 size when
/// <c>has_size</c>, then the payload; an OBU without a size field runs to the end of the buffer).
/// </summary>
internal static class Av1Obus
{
    /// <summary>OBU_SEQUENCE_HEADER.</summary>
    public const int SequenceHeaderType = 1;

    /// <summary>The first sequence header OBU of <paramref name="unit"/> (header, size and payload), or empty when it has none or is malformed.</summary>
    public static ReadOnlySpan<byte> SequenceHeader(ReadOnlySpan<byte> unit)
    {
        var offset = 0;
        while (offset < unit.Length)
        {
            var header = unit[offset];
            var type = (header >> 3) & 0xF;
            var hasExtension = (header & 0x4) != 0;
            var hasSize = (header & 0x2) != 0;
            var payload = offset + 1 + (hasExtension ? 1 : 0);
            long size;
            if (hasSize)
            {
                if (!TryReadLeb128(unit, ref payload, out size))
                {
                    return default;
                }
            }
            else
            {
                size = unit.Length - payload;
            }
            if ((header & 0x80) != 0 || size < 0 || payload + size > unit.Length)
            {
                return default;
            }
            var end = payload + (int)size;
            if (type == SequenceHeaderType)
            {
                return unit[offset..end];
            }
            offset = end;
        }
        return default;
    }

    /// <summary>AV1's leb128(): up to 8 bytes, 7 bits each, least significant first.</summary>
    private static bool TryReadLeb128(ReadOnlySpan<byte> data, ref int offset, out long value)
    {
        value = 0;
        for (var i = 0; i < 8; i++)
        {
            if (offset >= data.Length)
            {
                return false;
            }
            var b = data[offset++];
            value |= (long)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                return value <= int.MaxValue;
            }
        }
        return false;
    }
}
