using System.Runtime.CompilerServices;

namespace Aqs.Kernel.Network.Fec;

/// <summary>
/// Identifies a set of coding tables: encode tables for (k, m) have empty <see cref="Sources"/>; decode tables
/// are fixed by which k shards serve as sources (the missing data shards follow from it). Compared and hashed
/// word by word, no boxing or comparer, because the decode path looks one up per call.
/// </summary>
internal readonly struct CodingKey
{
    public readonly ShardMask Sources;
    private readonly int _shape; // k | m << 8; both fit a byte (k + m <= 255)

    public CodingKey(int dataShards, int parityShards, in ShardMask sources)
    {
        Sources = sources;
        _shape = dataShards | parityShards << 8;
    }

    public int DataShards => _shape & 0xff;

    public int ParityShards => _shape >> 8;

    /// <summary>Mixes all 256 bits and the shape; the cache takes the low bits as its set index.</summary>
    public ulong Hash
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            var h = (Sources.GetWord(0) ^ (ulong)_shape << 48) * 0x9E3779B97F4A7C15UL;
            h ^= Sources.GetWord(1) * 0xC2B2AE3D27D4EB4FUL;
            h ^= Sources.GetWord(2) * 0x165667B19E3779F9UL;
            h ^= Sources.GetWord(3) * 0x27D4EB2F165667C5UL;
            h ^= h >> 32;
            return (h * 0x9E3779B97F4A7C15UL) >> 32; // high half of a product: every input bit reaches the low bits
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Matches(in CodingKey other) =>
        _shape == other._shape
        && Sources.GetWord(0) == other.Sources.GetWord(0)
        && Sources.GetWord(1) == other.Sources.GetWord(1)
        && Sources.GetWord(2) == other.Sources.GetWord(2)
        && Sources.GetWord(3) == other.Sources.GetWord(3);
}
