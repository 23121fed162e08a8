using K4os.Compression.LZ4;
using ZstdSharp;

namespace Aqs.Shared.Compression;

/// <summary>
/// Lossless compression of whole packed frames into a caller's buffer (a ring slot) and back. Holds its zstd
/// contexts, so after construction neither direction allocates managed memory. One per thread.
/// </summary>
public sealed class FrameCompressor : IDisposable
{
    /// <summary>zstd level: 1 keeps a 1080p frame within a few ms on one core; higher levels gain little on video.</summary>
    public const int ZstdLevel = 1;

    private readonly Compressor? _zstdCompressor;
    private readonly Decompressor? _zstdDecompressor;

    public FrameCompressor(RefCompression codec)
    {
        Codec = codec;
        if (codec == RefCompression.Zstd)
        {
            _zstdCompressor = new Compressor(ZstdLevel);
            _zstdDecompressor = new Decompressor();
        }
        else if (codec is not (RefCompression.None or RefCompression.Lz4))
        {
            throw new ArgumentOutOfRangeException(nameof(codec), codec, "not a reference compression");
        }
    }

    public RefCompression Codec { get; }

    /// <summary>
    /// Compresses <paramref name="raw"/> into <paramref name="destination"/>; returns the compressed length, or 0
    /// when it does not fit (noise-like frames can grow): the caller then stores the frame uncompressed.
    /// </summary>
    public int Compress(ReadOnlySpan<byte> raw, Span<byte> destination)
    {
        switch (Codec)
        {
            case RefCompression.None:
                if (raw.Length > destination.Length)
                {
                    return 0;
                }
                raw.CopyTo(destination);
                return raw.Length;
            case RefCompression.Lz4:
                var n = LZ4Codec.Encode(raw, destination, LZ4Level.L00_FAST);
                return n > 0 ? n : 0;
            default:
                return _zstdCompressor!.TryWrap(raw, destination, out var written) ? written : 0;
        }
    }

    /// <summary>
    /// Restores a frame compressed with this codec into <paramref name="raw"/>, which must be exactly its length.
    /// Throws <see cref="InvalidDataException"/> (one line) when the data is damaged or of another length.
    /// </summary>
    public void Decompress(ReadOnlySpan<byte> compressed, Span<byte> raw)
    {
        int n;
        switch (Codec)
        {
            case RefCompression.None:
                n = compressed.Length <= raw.Length ? compressed.Length : -1;
                if (n > 0)
                {
                    compressed.CopyTo(raw);
                }
                break;
            case RefCompression.Lz4:
                n = LZ4Codec.Decode(compressed, raw);
                break;
            default:
                try
                {
                    n = _zstdDecompressor!.TryUnwrap(compressed, raw, out var written) ? written : -1;
                }
                catch (ZstdException)
                {
                    n = -1;
                }
                break;
        }
        if (n != raw.Length)
        {
            throw new InvalidDataException($"{Codec.Name()} reference frame of {compressed.Length} bytes does not restore to {raw.Length} bytes (got {n}): damaged slot");
        }
    }

    public void Dispose()
    {
        _zstdCompressor?.Dispose();
        _zstdDecompressor?.Dispose();
    }
}
