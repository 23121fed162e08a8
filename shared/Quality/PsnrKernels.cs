using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Aqs.Shared.Quality;

/// <summary>
/// Sum of squared differences of one plane, the integer FFmpeg's <c>sse_line</c> adds up. Exact in every
/// path, so all paths agree bit for bit.
/// </summary>
internal static unsafe class PsnrKernels
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ulong PlaneSse8(byte* a, int strideA, byte* b, int strideB, int width, int height, SimdLevel level)
    {
        ulong total = 0;
        for (var y = 0; y < height; y++)
        {
            total += level switch
            {
                SimdLevel.Avx2 => RowSse8Avx2(a + (nint)y * strideA, b + (nint)y * strideB, width),
                SimdLevel.Sse41 => RowSse8Sse41(a + (nint)y * strideA, b + (nint)y * strideB, width),
                _ => RowSse8Scalar(a + (nint)y * strideA, b + (nint)y * strideB, 0, width),
            };
        }
        return total;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ulong PlaneSse16(ushort* a, int strideA, ushort* b, int strideB, int width, int height, SimdLevel level)
    {
        ulong total = 0;
        for (var y = 0; y < height; y++)
        {
            total += level switch
            {
                SimdLevel.Avx2 => RowSse16Avx2(a + (nint)y * strideA, b + (nint)y * strideB, width),
                SimdLevel.Sse41 => RowSse16Sse41(a + (nint)y * strideA, b + (nint)y * strideB, width),
                _ => RowSse16Scalar(a + (nint)y * strideA, b + (nint)y * strideB, 0, width),
            };
        }
        return total;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ulong RowSse8Avx2(byte* a, byte* b, int width)
    {
        // One row of 8-bit squares stays below 2^31 even at 16384 samples (16384 * 255^2 ≈ 1.07e9).
        var acc = Vector256<int>.Zero;
        var x = 0;
        for (; x + 16 <= width; x += 16)
        {
            var d = Avx2.Subtract(Avx2.ConvertToVector256Int16(a + x), Avx2.ConvertToVector256Int16(b + x));
            acc = Avx2.Add(acc, Avx2.MultiplyAddAdjacent(d, d));
        }
        return (ulong)(uint)Vector256.Sum(acc) + RowSse8Scalar(a, b, x, width);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ulong RowSse8Sse41(byte* a, byte* b, int width)
    {
        var acc = Vector128<int>.Zero;
        var x = 0;
        for (; x + 8 <= width; x += 8)
        {
            var d = Sse2.Subtract(Sse41.ConvertToVector128Int16(a + x), Sse41.ConvertToVector128Int16(b + x));
            acc = Sse2.Add(acc, Sse2.MultiplyAddAdjacent(d, d));
        }
        return (ulong)(uint)Vector128.Sum(acc) + RowSse8Scalar(a, b, x, width);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ulong RowSse16Avx2(ushort* a, ushort* b, int width)
    {
        // 12-bit pairs give up to 2 * 4095^2 ≈ 3.4e7 per lane and step: flush to 64 bit every 32 steps.
        ulong total = 0;
        var x = 0;
        while (x + 16 <= width)
        {
            var acc = Vector256<int>.Zero;
            var end = Math.Min(width - 15, x + 16 * 32);
            for (; x < end; x += 16)
            {
                var d = Avx2.Subtract(Avx.LoadVector256((short*)(a + x)), Avx.LoadVector256((short*)(b + x)));
                acc = Avx2.Add(acc, Avx2.MultiplyAddAdjacent(d, d));
            }
            total += SumUnsigned(acc);
        }
        return total + RowSse16Scalar(a, b, x, width);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ulong RowSse16Sse41(ushort* a, ushort* b, int width)
    {
        ulong total = 0;
        var x = 0;
        while (x + 8 <= width)
        {
            var acc = Vector128<int>.Zero;
            var end = Math.Min(width - 7, x + 8 * 32);
            for (; x < end; x += 8)
            {
                var d = Sse2.Subtract(Sse2.LoadVector128((short*)(a + x)), Sse2.LoadVector128((short*)(b + x)));
                acc = Sse2.Add(acc, Sse2.MultiplyAddAdjacent(d, d));
            }
            total += (ulong)acc.AsUInt32().GetElement(0) + acc.AsUInt32().GetElement(1) + acc.AsUInt32().GetElement(2) + acc.AsUInt32().GetElement(3);
        }
        return total + RowSse16Scalar(a, b, x, width);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong SumUnsigned(Vector256<int> v)
    {
        var (lo, hi) = Vector256.Widen(v.AsUInt32());
        return Vector256.Sum(lo + hi);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static ulong RowSse8Scalar(byte* a, byte* b, int from, int width)
    {
        ulong sum = 0;
        for (var x = from; x < width; x++)
        {
            var d = a[x] - b[x];
            sum += (uint)(d * d);
        }
        return sum;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static ulong RowSse16Scalar(ushort* a, ushort* b, int from, int width)
    {
        ulong sum = 0;
        for (var x = from; x < width; x++)
        {
            var d = a[x] - b[x];
            sum += (uint)(d * d);
        }
        return sum;
    }
}
