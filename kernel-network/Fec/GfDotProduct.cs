using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Aqs.Kernel.Network.Fec;

/// <summary>
/// targets[r][i] = XOR over j of c(r,j) * sources[j][i] in GF(2^8), from ISA-L layout nibble tables
/// (table (r,j) at (r*k+j)*32: products of the low nibble, then of the high nibble). Each vector of a source
/// is loaded once per group of up to four target rows, whose sums stay in registers. A length that is not a
/// multiple of the vector ends with one overlapping vector: recomputing bytes gives the same bytes because no
/// target is also a source.
/// </summary>
public static unsafe class GfDotProduct
{
    public static GfPath BestPath { get; } =
        Avx512BW.IsSupported ? GfPath.Avx512 : Avx2.IsSupported ? GfPath.Avx2 : Ssse3.IsSupported ? GfPath.Ssse3 : GfPath.Scalar;

    public static bool IsSupported(GfPath path) => path switch
    {
        GfPath.Scalar => true,
        GfPath.Ssse3 => Ssse3.IsSupported,
        GfPath.Avx2 => Avx2.IsSupported,
        GfPath.Avx512 => Avx512BW.IsSupported,
        _ => false,
    };

    internal static void Run(GfPath path, int length, int k, int rows, byte* tables, byte** sources, byte** targets)
    {
        var rowTables = 32 * k;
        var r = 0;
        while (r < rows)
        {
            var group = Math.Min(4, rows - r);
            var t = tables + r * rowTables;
            var d = targets + r;
            switch (group)
            {
                case 4: Group<Four>(path, length, k, t, sources, d); break;
                case 3: Group<Three>(path, length, k, t, sources, d); break;
                case 2: Group<Two>(path, length, k, t, sources, d); break;
                default: Group<One>(path, length, k, t, sources, d); break;
            }
            r += group;
        }
    }

    private static void Group<TRows>(GfPath path, int length, int k, byte* tables, byte** sources, byte** targets)
        where TRows : struct, IRowCount
    {
        if (path == GfPath.Avx512 && length >= 64)
        {
            Avx512Group<TRows>(length, k, tables, sources, targets);
        }
        else if (path >= GfPath.Avx2 && length >= 32)
        {
            Avx2Group<TRows>(length, k, tables, sources, targets);
        }
        else if (path >= GfPath.Ssse3 && length >= 16)
        {
            Ssse3Group<TRows>(length, k, tables, sources, targets);
        }
        else
        {
            ScalarGroup(TRows.Value, 0, length, k, tables, sources, targets);
        }
    }

    private static void Avx512Group<TRows>(int length, int k, byte* tables, byte** sources, byte** targets)
        where TRows : struct, IRowCount
    {
        var nibble = Vector512.Create((byte)0x0f);
        var stride = 32 * k;
        var pos = 0;
        while (true)
        {
            Vector512<byte> a0 = default, a1 = default, a2 = default, a3 = default;
            var t = tables;
            for (var j = 0; j < k; j++, t += 32)
            {
                var v = Vector512.Load(sources[j] + pos);
                var lo = v & nibble;
                var hi = Avx512BW.ShiftRightLogical(v.AsUInt16(), 4).AsByte() & nibble;
                a0 ^= Avx512BW.Shuffle(Broadcast512(t), lo) ^ Avx512BW.Shuffle(Broadcast512(t + 16), hi);
                if (TRows.Value > 1)
                {
                    var t1 = t + stride;
                    a1 ^= Avx512BW.Shuffle(Broadcast512(t1), lo) ^ Avx512BW.Shuffle(Broadcast512(t1 + 16), hi);
                }
                if (TRows.Value > 2)
                {
                    var t2 = t + 2 * stride;
                    a2 ^= Avx512BW.Shuffle(Broadcast512(t2), lo) ^ Avx512BW.Shuffle(Broadcast512(t2 + 16), hi);
                }
                if (TRows.Value > 3)
                {
                    var t3 = t + 3 * stride;
                    a3 ^= Avx512BW.Shuffle(Broadcast512(t3), lo) ^ Avx512BW.Shuffle(Broadcast512(t3 + 16), hi);
                }
            }
            a0.Store(targets[0] + pos);
            if (TRows.Value > 1) a1.Store(targets[1] + pos);
            if (TRows.Value > 2) a2.Store(targets[2] + pos);
            if (TRows.Value > 3) a3.Store(targets[3] + pos);
            pos += 64;
            if (pos >= length)
            {
                return;
            }
            if (pos > length - 64)
            {
                pos = length - 64;
            }
        }
    }

    private static void Avx2Group<TRows>(int length, int k, byte* tables, byte** sources, byte** targets)
        where TRows : struct, IRowCount
    {
        var nibble = Vector256.Create((byte)0x0f);
        var stride = 32 * k;
        var pos = 0;
        while (true)
        {
            Vector256<byte> a0 = default, a1 = default, a2 = default, a3 = default;
            var t = tables;
            for (var j = 0; j < k; j++, t += 32)
            {
                var v = Vector256.Load(sources[j] + pos);
                var lo = v & nibble;
                var hi = Avx2.ShiftRightLogical(v.AsUInt16(), 4).AsByte() & nibble;
                a0 ^= Avx2.Shuffle(Avx2.BroadcastVector128ToVector256(t), lo) ^ Avx2.Shuffle(Avx2.BroadcastVector128ToVector256(t + 16), hi);
                if (TRows.Value > 1)
                {
                    var t1 = t + stride;
                    a1 ^= Avx2.Shuffle(Avx2.BroadcastVector128ToVector256(t1), lo) ^ Avx2.Shuffle(Avx2.BroadcastVector128ToVector256(t1 + 16), hi);
                }
                if (TRows.Value > 2)
                {
                    var t2 = t + 2 * stride;
                    a2 ^= Avx2.Shuffle(Avx2.BroadcastVector128ToVector256(t2), lo) ^ Avx2.Shuffle(Avx2.BroadcastVector128ToVector256(t2 + 16), hi);
                }
                if (TRows.Value > 3)
                {
                    var t3 = t + 3 * stride;
                    a3 ^= Avx2.Shuffle(Avx2.BroadcastVector128ToVector256(t3), lo) ^ Avx2.Shuffle(Avx2.BroadcastVector128ToVector256(t3 + 16), hi);
                }
            }
            a0.Store(targets[0] + pos);
            if (TRows.Value > 1) a1.Store(targets[1] + pos);
            if (TRows.Value > 2) a2.Store(targets[2] + pos);
            if (TRows.Value > 3) a3.Store(targets[3] + pos);
            pos += 32;
            if (pos >= length)
            {
                return;
            }
            if (pos > length - 32)
            {
                pos = length - 32;
            }
        }
    }

    private static void Ssse3Group<TRows>(int length, int k, byte* tables, byte** sources, byte** targets)
        where TRows : struct, IRowCount
    {
        var nibble = Vector128.Create((byte)0x0f);
        var stride = 32 * k;
        var pos = 0;
        while (true)
        {
            Vector128<byte> a0 = default, a1 = default, a2 = default, a3 = default;
            var t = tables;
            for (var j = 0; j < k; j++, t += 32)
            {
                var v = Vector128.Load(sources[j] + pos);
                var lo = v & nibble;
                var hi = Sse2.ShiftRightLogical(v.AsUInt16(), 4).AsByte() & nibble;
                a0 ^= Ssse3.Shuffle(Vector128.Load(t), lo) ^ Ssse3.Shuffle(Vector128.Load(t + 16), hi);
                if (TRows.Value > 1)
                {
                    var t1 = t + stride;
                    a1 ^= Ssse3.Shuffle(Vector128.Load(t1), lo) ^ Ssse3.Shuffle(Vector128.Load(t1 + 16), hi);
                }
                if (TRows.Value > 2)
                {
                    var t2 = t + 2 * stride;
                    a2 ^= Ssse3.Shuffle(Vector128.Load(t2), lo) ^ Ssse3.Shuffle(Vector128.Load(t2 + 16), hi);
                }
                if (TRows.Value > 3)
                {
                    var t3 = t + 3 * stride;
                    a3 ^= Ssse3.Shuffle(Vector128.Load(t3), lo) ^ Ssse3.Shuffle(Vector128.Load(t3 + 16), hi);
                }
            }
            a0.Store(targets[0] + pos);
            if (TRows.Value > 1) a1.Store(targets[1] + pos);
            if (TRows.Value > 2) a2.Store(targets[2] + pos);
            if (TRows.Value > 3) a3.Store(targets[3] + pos);
            pos += 16;
            if (pos >= length)
            {
                return;
            }
            if (pos > length - 16)
            {
                pos = length - 16;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<byte> Broadcast512(byte* table) => Avx512F.BroadcastVector128ToVector512((int*)table).AsByte();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ScalarGroup(int rows, int start, int length, int k, byte* tables, byte** sources, byte** targets)
    {
        for (var r = 0; r < rows; r++)
        {
            var rowTables = tables + r * 32 * k;
            var target = targets[r];
            for (var i = start; i < length; i++)
            {
                byte sum = 0;
                var t = rowTables;
                for (var j = 0; j < k; j++, t += 32)
                {
                    var x = sources[j][i];
                    sum ^= (byte)(t[x & 0x0f] ^ t[16 + (x >> 4)]);
                }
                target[i] = sum;
            }
        }
    }

    /// <summary>Row count as a type, so each group size compiles to its own kernel with the unused sums removed.</summary>
    private interface IRowCount
    {
        static abstract int Value { get; }
    }

    private readonly struct One : IRowCount { public static int Value => 1; }

    private readonly struct Two : IRowCount { public static int Value => 2; }

    private readonly struct Three : IRowCount { public static int Value => 3; }

    private readonly struct Four : IRowCount { public static int Value => 4; }
}
