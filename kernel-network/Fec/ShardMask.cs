using System.Numerics;

namespace Aqs.Kernel.Network.Fec;

/// <summary>Which of a block's up to 256 shards are present: a 256-bit value, bit i = shard i.</summary>
public struct ShardMask : IEquatable<ShardMask>
{
    // Mutable struct: Set/Clear change it in place, so don't make fields readonly or hold it in a readonly field.
    private ulong _w0, _w1, _w2, _w3;

    public readonly bool this[int index] => (Word(index) >> (index & 63) & 1) != 0;

    public readonly int Count =>
        BitOperations.PopCount(_w0) + BitOperations.PopCount(_w1) + BitOperations.PopCount(_w2) + BitOperations.PopCount(_w3);

    /// <summary>A mask with bits [0, count) set.</summary>
    public static ShardMask FirstN(int count)
    {
        var mask = default(ShardMask);
        for (var i = 0; i < count; i++)
        {
            mask.Set(i);
        }
        return mask;
    }

    public void Set(int index) => SetWord(index, Word(index) | 1UL << (index & 63));

    public void Clear(int index) => SetWord(index, Word(index) & ~(1UL << (index & 63)));

    /// <summary>Bits [64*word, 64*word+64) as a ulong, for scanning set bits with TrailingZeroCount.</summary>
    internal readonly ulong GetWord(int word) => Word(word << 6);

    /// <summary>Number of set bits below <paramref name="limit"/>.</summary>
    public readonly int CountBelow(int limit)
    {
        var n = 0;
        for (var i = 0; i < limit; i++)
        {
            n += this[i] ? 1 : 0;
        }
        return n;
    }

    public readonly bool Equals(ShardMask other) =>
        _w0 == other._w0 && _w1 == other._w1 && _w2 == other._w2 && _w3 == other._w3;

    public override readonly bool Equals(object? obj) => obj is ShardMask other && Equals(other);

    public override readonly int GetHashCode() => HashCode.Combine(_w0, _w1, _w2, _w3);

    public static bool operator ==(ShardMask a, ShardMask b) => a.Equals(b);

    public static bool operator !=(ShardMask a, ShardMask b) => !a.Equals(b);

    private readonly ulong Word(int index) => (index >> 6) switch
    {
        0 => _w0,
        1 => _w1,
        2 => _w2,
        3 => _w3,
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, "shard index must be 0..255"),
    };

    private void SetWord(int index, ulong value)
    {
        switch (index >> 6)
        {
            case 0: _w0 = value; break;
            case 1: _w1 = value; break;
            case 2: _w2 = value; break;
            default: _w3 = value; break;
        }
    }
}
