using Aqs.Shared.Rings;

namespace Aqs.Shared.Compression;

/// <summary>
/// How a <c>ref</c> slot says its payload is compressed: <see cref="SlotHeader.User3"/> holds a tag and the codec,
/// and PayloadLength the compressed size. A slot without the tag (User3 = 0, what every claim starts with) holds
/// the packed frame as is, so readers that know nothing of compression keep working on uncompressed rings.
/// </summary>
public static class RefSlotCompression
{
    /// <summary>"AQSC" in the upper half of User3: a codec number alone could be mistaken for another use of the field.</summary>
    private const long Tag = 0x4151_5343L << 32;

    /// <summary>Marks a slot whose payload (<paramref name="compressedLength"/> bytes) is compressed with <paramref name="codec"/>.</summary>
    public static void Mark(ref SlotHeader header, RefCompression codec, int compressedLength)
    {
        header.PayloadLength = compressedLength;
        header.User3 = codec == RefCompression.None ? 0 : Tag | (byte)codec;
    }

    /// <summary>The codec of a slot's payload (None when unmarked). Throws for a tag with an unknown codec.</summary>
    public static RefCompression CodecOf(in SlotHeader header)
    {
        if ((header.User3 & unchecked((long)0xFFFF_FFFF_0000_0000)) != Tag)
        {
            return RefCompression.None;
        }
        var codec = (RefCompression)(byte)header.User3;
        return codec is RefCompression.Lz4 or RefCompression.Zstd
            ? codec
            : throw new InvalidDataException($"ref slot of frame {header.FrameId} names unknown compression {(byte)codec}");
    }
}

/// <summary>
/// The reader's side: gives the packed frame of a <c>ref</c> slot, decompressing into one reusable buffer when the
/// slot is compressed and handing the slot's own bytes out (zero copy) when it is not. One per thread.
/// </summary>
public sealed class RefFrameExpander : IDisposable
{
    private FrameCompressor? _lz4;
    private FrameCompressor? _zstd;
    private byte[] _buffer = [];

    /// <summary>Frames that had to be decompressed.</summary>
    public long Expanded { get; private set; }

    /// <summary>The <paramref name="frameSize"/> bytes of the frame in a slot; valid until the next call.</summary>
    public ReadOnlySpan<byte> Packed(in SlotHeader header, ReadOnlySpan<byte> payload, int frameSize)
    {
        var codec = RefSlotCompression.CodecOf(header);
        if (codec == RefCompression.None)
        {
            return payload[..frameSize];
        }
        if (_buffer.Length != frameSize)
        {
            _buffer = new byte[frameSize]; // once per frame size, not per frame
        }
        var compressor = codec == RefCompression.Lz4
            ? _lz4 ??= new FrameCompressor(RefCompression.Lz4)
            : _zstd ??= new FrameCompressor(RefCompression.Zstd);
        compressor.Decompress(payload[..Math.Min(payload.Length, header.PayloadLength)], _buffer);
        Expanded++;
        return _buffer;
    }

    public void Dispose()
    {
        _lz4?.Dispose();
        _zstd?.Dispose();
    }
}
