namespace Aqs.Shared.Compression;

/// <summary>How Kernel B stores reference frames in the <c>ref</c> ring (<c>--ref-compression</c>); always lossless.</summary>
public enum RefCompression : byte
{
    /// <summary>The packed frame as is.</summary>
    None = 0,
    /// <summary>LZ4 block (K4os.Compression.LZ4, fast level): cheapest CPU, smaller saving.</summary>
    Lz4 = 1,
    /// <summary>Zstandard frame (ZstdSharp, level 1): more saving, more CPU.</summary>
    Zstd = 2,
}

public static class RefCompressions
{
    public static bool TryParse(string? text, out RefCompression codec)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "none":
                codec = RefCompression.None;
                return true;
            case "lz4":
                codec = RefCompression.Lz4;
                return true;
            case "zstd":
                codec = RefCompression.Zstd;
                return true;
            default:
                codec = RefCompression.None;
                return false;
        }
    }

    public static string Name(this RefCompression codec) => codec switch
    {
        RefCompression.None => "none",
        RefCompression.Lz4 => "lz4",
        RefCompression.Zstd => "zstd",
        _ => $"unknown({(byte)codec})",
    };
}
