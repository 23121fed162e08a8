using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Aqs.Kernel.Preprocess.Sources;

/// <summary>
/// The row operations the synthetic source is made of, on 16-bit working samples: copy from a periodic tile row,
/// copy with an offset, and the final noise-add + clamp + store (as 8-bit bytes or 16-bit LE words).
/// Vector&lt;T&gt; body, scalar remainder that computes the same thing.
/// </summary>
internal static class SyntheticKernels
{
    /// <summary>dst[i] = tile[(start + i) mod tile.Length] + add.</summary>
    public static void CopyWrappedAdd(ReadOnlySpan<short> tileRow, int start, Span<short> dst, short add)
    {
        var done = 0;
        var pos = start;
        while (done < dst.Length)
        {
            var n = Math.Min(tileRow.Length - pos, dst.Length - done);
            if (add == 0)
            {
                tileRow.Slice(pos, n).CopyTo(dst.Slice(done, n));
            }
            else
            {
                AddConst(tileRow.Slice(pos, n), dst.Slice(done, n), add);
            }
            done += n;
            pos = 0;
        }
    }

    private static void AddConst(ReadOnlySpan<short> src, Span<short> dst, short add)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var va = new Vector<short>(add);
            ref var s = ref MemoryMarshal.GetReference(src);
            ref var d = ref MemoryMarshal.GetReference(dst);
            for (; i <= src.Length - Vector<short>.Count; i += Vector<short>.Count)
            {
                (Vector.LoadUnsafe(ref s, (nuint)i) + va).StoreUnsafe(ref d, (nuint)i);
            }
        }
        for (; i < src.Length; i++)
        {
            dst[i] = (short)(src[i] + add);
        }
    }

    /// <summary>dst[i] = clamp(row[i] + noise[i], min, max) as 16-bit little-endian words.</summary>
    public static void StoreClamped16(ReadOnlySpan<short> row, ReadOnlySpan<short> noise, Span<byte> dst, short min, short max)
    {
        var n = row.Length;
        var i = 0;
        ref var r = ref MemoryMarshal.GetReference(row);
        ref var z = ref MemoryMarshal.GetReference(noise);
        ref var d = ref Unsafe.As<byte, short>(ref MemoryMarshal.GetReference(dst));
        if (dst.Length < 2 * n || noise.Length < n)
        {
            throw new ArgumentException("row, noise and destination lengths disagree");
        }
        if (Vector.IsHardwareAccelerated && BitConverter.IsLittleEndian)
        {
            var vmin = new Vector<short>(min);
            var vmax = new Vector<short>(max);
            for (; i <= n - Vector<short>.Count; i += Vector<short>.Count)
            {
                var v = Vector.LoadUnsafe(ref r, (nuint)i) + Vector.LoadUnsafe(ref z, (nuint)i);
                Vector.Min(Vector.Max(v, vmin), vmax).StoreUnsafe(ref d, (nuint)i);
            }
        }
        StoreClamped16Tail(row, noise, dst, min, max, i);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void StoreClamped16Tail(ReadOnlySpan<short> row, ReadOnlySpan<short> noise, Span<byte> dst, short min, short max, int i)
    {
        for (; i < row.Length; i++)
        {
            var v = (ushort)Math.Clamp(row[i] + noise[i], min, max);
            dst[2 * i] = (byte)v;
            dst[2 * i + 1] = (byte)(v >> 8);
        }
    }

    /// <summary>dst[i] = clamp(row[i] + noise[i], min, max) as bytes (min/max within 0..255).</summary>
    public static void StoreClamped8(ReadOnlySpan<short> row, ReadOnlySpan<short> noise, Span<byte> dst, short min, short max)
    {
        var n = row.Length;
        var i = 0;
        if (dst.Length < n || noise.Length < n)
        {
            throw new ArgumentException("row, noise and destination lengths disagree");
        }
        if (Vector.IsHardwareAccelerated)
        {
            ref var r = ref MemoryMarshal.GetReference(row);
            ref var z = ref MemoryMarshal.GetReference(noise);
            ref var d = ref MemoryMarshal.GetReference(dst);
            var vmin = new Vector<short>(min);
            var vmax = new Vector<short>(max);
            var step = 2 * Vector<short>.Count;
            for (; i <= n - step; i += step)
            {
                var a = Vector.Min(Vector.Max(Vector.LoadUnsafe(ref r, (nuint)i) + Vector.LoadUnsafe(ref z, (nuint)i), vmin), vmax);
                var b = Vector.Min(Vector.Max(Vector.LoadUnsafe(ref r, (nuint)(i + Vector<short>.Count)) + Vector.LoadUnsafe(ref z, (nuint)(i + Vector<short>.Count)), vmin), vmax);
                Vector.Narrow(Vector.AsVectorUInt16(a), Vector.AsVectorUInt16(b)).StoreUnsafe(ref d, (nuint)i);
            }
        }
        StoreClamped8Tail(row, noise, dst, min, max, i);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void StoreClamped8Tail(ReadOnlySpan<short> row, ReadOnlySpan<short> noise, Span<byte> dst, short min, short max, int i)
    {
        for (; i < row.Length; i++)
        {
            dst[i] = (byte)Math.Clamp(row[i] + noise[i], min, max);
        }
    }
}
