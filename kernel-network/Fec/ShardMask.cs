using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Aqs.Kernel.Network.Fec;

/// <summary>Which of a block's up to 256 shards are present: a 256-bit value, bit i = shard i.</summary>
[StructLayout(LayoutKind.Sequential)] // the four words are read as an array (WordRef): keep them in order
public struct ShardMask : IEquatable<ShardMask>
{
    /// <summary>Number of 64-bit words.</summary>
    internal const int Words = 4;

    // Mutable struct: Set/Clear change it in place, so don't make fields readonly or hold it in a readonly field.
    private ulong _w0, _w1, _w2, _w3;

    public readonly bool this[int index] => (GetWord(CheckedWord(index)) >> (index & 63) & 1) != 0;

    public readonly int Count =>
        BitOperations.PopCount(_w0) + BitOperations.PopCount(_w1) + BitOperations.PopCount(_w2) + BitOperations.PopCount(_w3);

    /// <summary>A mask with bits [0, count) set.</summary>
    public static ShardMask FirstN(int count)
    {
        if ((uint)count > Words * 64)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "count must be 0..256");
        }
        var mask = default(ShardMask);
        for (var w = 0; w < Words; w++)
        {
            mask.SetWord(w, LowBits(count - 64 * w));
        }
        return mask;
    }

    public void Set(int index) => WordRef(CheckedWord(index)) |= 1UL << (index & 63);

    public void Clear(int index) => WordRef(CheckedWord(index)) &= ~(1UL << (index & 63));

    /// <summary>Bits [64*word, 64*word+64) as a ulong; <paramref name="word"/> must be 0..3 (not checked: hot path).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal readonly ulong GetWord(int word)
    {
        Debug.Assert((uint)word < Words);
        return Unsafe.Add(ref Unsafe.AsRef(in _w0), word);
    }

    /// <summary>Replaces bits [64*word, 64*word+64); <paramref name="word"/> must be 0..3 (not checked: hot path).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void SetWord(int word, ulong value) => WordRef(word) = value;

    /// <summary>The low <paramref name="bits"/> bits set, clamped to 0..64: word w of FirstN(n) is LowBits(n - 64w).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong LowBits(int bits) =>
        bits >= 64 ? ulong.MaxValue : bits <= 0 ? 0 : (1UL << bits) - 1;

    /// <summary>Number of set bits below <paramref name="limit"/>.</summary>
    public readonly int CountBelow(int limit)
    {
        var n = 0;
        for (var w = 0; w < Words; w++)
        {
            n += BitOperations.PopCount(GetWord(w) & LowBits(limit - 64 * w));
        }
        return n;
    }

    public readonly bool Equals(ShardMask other) =>
        _w0 == other._w0 && _w1 == other._w1 && _w2 == other._w2 && _w3 == other._w3;

    public override readonly bool Equals(object? obj) => obj is ShardMask other && Equals(other);

    public override readonly int GetHashCode() => HashCode.Combine(_w0, _w1, _w2, _w3);

    public static bool operator ==(ShardMask a, ShardMask b) => a.Equals(b);

    public static bool operator !=(ShardMask a, ShardMask b) => !a.Equals(b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    [UnscopedRef] // returns a reference into this struct, so callers may only use it while the struct lives
    private ref ulong WordRef(int word)
    {
        Debug.Assert((uint)word < Words);
        return ref Unsafe.Add(ref _w0, word);
    }

    private static int CheckedWord(int index)
    {
        if ((uint)index >= Words * 64)
        {
            ThrowIndex(index);
        }
        return index >> 6;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowIndex(int index) =>
        throw new ArgumentOutOfRangeException(nameof(index), index, "shard index must be 0..255");
}
