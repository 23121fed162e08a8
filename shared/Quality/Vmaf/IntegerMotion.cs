using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Aqs.Shared.Quality.Vmaf;

/// <summary>
/// libvmaf's integer motion (integer_motion.c): the mean absolute value of the 5-tap blurred difference of two
/// consecutive reference frames, in 8-bit units. The difference is blurred vertically (rounded to bpc fewer bits)
/// then horizontally (>> 16), with mirrored edges (index -1 reads 1, index n reads n-2).
/// </summary>
internal sealed class IntegerMotion
{
    private static readonly int[] Filter = [3571, 16004, 26386, 16004, 3571];
    private const int Pad = 2;

    private readonly int _width;
    private readonly int _height;
    private readonly int _bitDepth;
    private readonly bool _simd;
    private readonly int[] _row;   // vertical pass output at offset Pad, mirrored pads

    public IntegerMotion(int width, int height, int bitDepth, bool simd)
    {
        _simd = simd && Avx2.IsSupported;
        _width = width;
        _height = height;
        _bitDepth = bitDepth;
        _row = new int[width + 2 * Pad];
    }

    /// <summary>The motion score ("motion_sad") between two luma planes of samples (stride = width).</summary>
    public double Score(ReadOnlySpan<ushort> previous, ReadOnlySpan<ushort> current)
    {
        var w = _width;
        var h = _height;
        ulong sad = 0;
        for (var i = 0; i < h; i++)
        {
            var r0 = Mirror(i - 2, h) * w;
            var r1 = Mirror(i - 1, h) * w;
            var r2 = i * w;
            var r3 = Mirror(i + 1, h) * w;
            var r4 = Mirror(i + 2, h) * w;
            var any = _simd
                ? VerticalAvx2(previous, current, r0, r1, r2, r3, r4)
                : Vertical(previous, current, 0, r0, r1, r2, r3, r4);
            if (any == 0)
            {
                continue;
            }
            _row[Pad - 1] = _row[Pad + 1];
            _row[Pad - 2] = _row[Pad + 2];
            _row[Pad + w] = _row[Pad + w - 2];
            _row[Pad + w + 1] = _row[Pad + w - 3];
            var done = 0;
            var rowSad = _simd ? HorizontalSadAvx2(out done) : 0u;
            for (var j = done; j < w; j++)
            {
                var accum = (long)Filter[0] * (_row[j] + _row[j + 4])
                          + (long)Filter[1] * (_row[j + 1] + _row[j + 3])
                          + (long)Filter[2] * _row[j + 2];
                rowSad += (uint)Math.Abs((int)((accum + 32768) >> 16));
            }
            sad += rowSad;
        }
        return Math.Min((double)sad / 256.0 / ((double)w * h), 10000.0);
    }

    private int Vertical(ReadOnlySpan<ushort> previous, ReadOnlySpan<ushort> current, int from, int r0, int r1, int r2, int r3, int r4)
    {
        var round = 1 << (_bitDepth - 1);
        var any = 0;
        for (var j = from; j < _width; j++)
        {
            var accum = Filter[0] * (previous[r0 + j] - current[r0 + j])
                      + Filter[1] * (previous[r1 + j] - current[r1 + j])
                      + Filter[2] * (previous[r2 + j] - current[r2 + j])
                      + Filter[3] * (previous[r3 + j] - current[r3 + j])
                      + Filter[4] * (previous[r4 + j] - current[r4 + j]);
            var v = (accum + round) >> _bitDepth;
            _row[Pad + j] = v;
            any |= v;
        }
        return any;
    }

    private int VerticalAvx2(ReadOnlySpan<ushort> previous, ReadOnlySpan<ushort> current, int r0, int r1, int r2, int r3, int r4)
    {
        ref var p = ref MemoryMarshal.GetReference(previous);
        ref var c = ref MemoryMarshal.GetReference(current);
        var round = Vector256.Create(1 << (_bitDepth - 1));
        var f0 = Vector256.Create(Filter[0]);
        var f1 = Vector256.Create(Filter[1]);
        var f2 = Vector256.Create(Filter[2]);
        var any = Vector256<int>.Zero;
        var j = 0;
        for (; j + 8 <= _width; j += 8)
        {
            var accum = f0 * (Diff(ref p, ref c, r0 + j) + Diff(ref p, ref c, r4 + j))
                      + f1 * (Diff(ref p, ref c, r1 + j) + Diff(ref p, ref c, r3 + j))
                      + f2 * Diff(ref p, ref c, r2 + j);
            var v = (accum + round) >> _bitDepth;
            v.StoreUnsafe(ref _row[Pad], (nuint)j);
            any |= v;
        }
        var tail = j < _width ? Vertical(previous, current, j, r0, r1, r2, r3, r4) : 0;
        return tail | (any != Vector256<int>.Zero ? 1 : 0);
    }

    /// <summary>
    /// Sum of |horizontal blur| over the row, 8 columns per step, in 32-bit lanes. A blurred difference v can reach
    /// +-65535, so f * v sums overflow 32 bits; v = 256 * hi + lo is filtered as its two halves:
    /// (256 * A + B + 2^15) >> 16 = (A + ((B + 2^15) >> 8)) >> 8, both arithmetic shifts (floor), exactly.
    /// Returns the sum and, in <paramref name="done"/>, the columns covered; the caller finishes the rest.
    /// </summary>
    private uint HorizontalSadAvx2(out int done)
    {
        ref var row = ref _row[0];
        var f0 = Vector256.Create(Filter[0]);
        var f1 = Vector256.Create(Filter[1]);
        var f2 = Vector256.Create(Filter[2]);
        var low = Vector256.Create(255);
        var round = Vector256.Create(32768);
        var sad = Vector256<int>.Zero;
        var j = 0;
        for (; j + 8 <= _width; j += 8)
        {
            var v0 = Vector256.LoadUnsafe(ref row, (nuint)j);
            var v1 = Vector256.LoadUnsafe(ref row, (nuint)j + 1);
            var v2 = Vector256.LoadUnsafe(ref row, (nuint)j + 2);
            var v3 = Vector256.LoadUnsafe(ref row, (nuint)j + 3);
            var v4 = Vector256.LoadUnsafe(ref row, (nuint)j + 4);
            var hi = f0 * ((v0 >> 8) + (v4 >> 8)) + f1 * ((v1 >> 8) + (v3 >> 8)) + f2 * (v2 >> 8);
            var lo = f0 * ((v0 & low) + (v4 & low)) + f1 * ((v1 & low) + (v3 & low)) + f2 * (v2 & low);
            sad += Avx2.Abs((hi + ((lo + round) >> 8)) >> 8).AsInt32();
        }
        done = j;
        return (uint)Vector256.Sum(sad);
    }

    private static Vector256<int> Diff(ref ushort p, ref ushort c, int at) =>
        Avx2.ConvertToVector256Int32(Vector128.LoadUnsafe(ref p, (nuint)at)) - Avx2.ConvertToVector256Int32(Vector128.LoadUnsafe(ref c, (nuint)at));

    internal static int Mirror(int index, int size) =>
        index < 0 ? -index : index >= size ? 2 * size - index - 2 : index;
}
