using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Aqs.Shared.Quality;

/// <summary>
/// The two steps of FFmpeg's (x264's) SSIM, libavfilter/vf_ssim.c:
/// <list type="number">
/// <item><c>ssim_4x4xn</c>: for one row of 4x4 blocks, the sums s1 = Σa, s2 = Σb, ss = Σ(a²+b²), s12 = Σab.</item>
/// <item><c>ssim_endn</c>: for each 8x8 window (2x2 blocks of two adjacent block rows, windows on a 4-sample grid)
/// the SSIM, computed from the integer sums and rounded to float exactly as <c>ssim_end1</c> does.</item>
/// </list>
/// Block sums are stored structure-of-arrays: a row buffer holds s1[stride], s2[stride], ss[stride], s12[stride].
/// Every sum fits int32 for depths up to 12 bit (a window's ss ≤ 2·64·4095² = 2 146 435 200 &lt; 2³¹).
/// 8-bit windows are summed in double (FFmpeg's SSE4 <c>ssim_end_line</c>); deeper ones are summed in float
/// along the row, then in double (FFmpeg's C <c>ssim_endn_16bit</c>).
/// </summary>
internal static unsafe class SsimKernels
{
    /// <summary>FFmpeg's ssim_c1 / ssim_c2 for peak <paramref name="max"/>, same double expression, truncated after +0.5.</summary>
    public static (long C1, long C2) Constants(int max) =>
        ((long)(.01 * .01 * max * max * 64 + .5), (long)(.03 * .03 * max * max * 64 * 63 + .5));

    // ---------------------------------------------------------------- block sums

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BlockRow<T>(byte* a, nint strideA, byte* b, nint strideB, int count, int* sums, int stride, SimdLevel level)
        where T : struct, ISamples
    {
        var z = level switch
        {
            SimdLevel.Avx2 => BlockRowAvx2<T>(a, strideA, b, strideB, count, sums, stride),
            SimdLevel.Sse41 => BlockRowSse41<T>(a, strideA, b, strideB, count, sums, stride),
            _ => 0,
        };
        BlockRowScalar<T>(a, strideA, b, strideB, z, count, sums, stride);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int BlockRowAvx2<T>(byte* a, nint strideA, byte* b, nint strideB, int count, int* sums, int stride)
        where T : struct, ISamples
    {
        var ones = Vector256.Create((short)1);
        var z = 0;
        for (; z + 8 <= count; z += 8)
        {
            nint x = z * 4;
            Vector256<short> sa0 = default, sa1 = default, sb0 = default, sb1 = default;
            Vector256<int> ss0 = default, ss1 = default, s120 = default, s121 = default;
            for (var r = 0; r < 4; r++)
            {
                var a0 = T.Load256(a, r * strideA + x);
                var a1 = T.Load256(a, r * strideA + x + 16);
                var b0 = T.Load256(b, r * strideB + x);
                var b1 = T.Load256(b, r * strideB + x + 16);
                // 4 rows of 12-bit samples sum to at most 16380: int16 holds them.
                sa0 = Avx2.Add(sa0, a0);
                sa1 = Avx2.Add(sa1, a1);
                sb0 = Avx2.Add(sb0, b0);
                sb1 = Avx2.Add(sb1, b1);
                ss0 = Avx2.Add(ss0, Avx2.Add(Avx2.MultiplyAddAdjacent(a0, a0), Avx2.MultiplyAddAdjacent(b0, b0)));
                ss1 = Avx2.Add(ss1, Avx2.Add(Avx2.MultiplyAddAdjacent(a1, a1), Avx2.MultiplyAddAdjacent(b1, b1)));
                s120 = Avx2.Add(s120, Avx2.MultiplyAddAdjacent(a0, b0));
                s121 = Avx2.Add(s121, Avx2.MultiplyAddAdjacent(a1, b1));
            }
            Avx.Store(sums + z, Blocks(Avx2.MultiplyAddAdjacent(sa0, ones), Avx2.MultiplyAddAdjacent(sa1, ones)));
            Avx.Store(sums + stride + z, Blocks(Avx2.MultiplyAddAdjacent(sb0, ones), Avx2.MultiplyAddAdjacent(sb1, ones)));
            Avx.Store(sums + 2 * stride + z, Blocks(ss0, ss1));
            Avx.Store(sums + 3 * stride + z, Blocks(s120, s121));
        }
        return z;
    }

    /// <summary>
    /// Pairs of columns (8 per half) to 4-column blocks in order. phaddd works per 128-bit lane and yields
    /// blocks 0,1,4,5 | 2,3,6,7; the 64-bit permute 0xD8 puts them back as 0..7.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Blocks(Vector256<int> pairsLow, Vector256<int> pairsHigh) =>
        Avx2.Permute4x64(Avx2.HorizontalAdd(pairsLow, pairsHigh).AsInt64(), 0xD8).AsInt32();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int BlockRowSse41<T>(byte* a, nint strideA, byte* b, nint strideB, int count, int* sums, int stride)
        where T : struct, ISamples
    {
        var ones = Vector128.Create((short)1);
        var z = 0;
        for (; z + 4 <= count; z += 4)
        {
            nint x = z * 4;
            Vector128<short> sa0 = default, sa1 = default, sb0 = default, sb1 = default;
            Vector128<int> ss0 = default, ss1 = default, s120 = default, s121 = default;
            for (var r = 0; r < 4; r++)
            {
                var a0 = T.Load128(a, r * strideA + x);
                var a1 = T.Load128(a, r * strideA + x + 8);
                var b0 = T.Load128(b, r * strideB + x);
                var b1 = T.Load128(b, r * strideB + x + 8);
                sa0 = Sse2.Add(sa0, a0);
                sa1 = Sse2.Add(sa1, a1);
                sb0 = Sse2.Add(sb0, b0);
                sb1 = Sse2.Add(sb1, b1);
                ss0 = Sse2.Add(ss0, Sse2.Add(Sse2.MultiplyAddAdjacent(a0, a0), Sse2.MultiplyAddAdjacent(b0, b0)));
                ss1 = Sse2.Add(ss1, Sse2.Add(Sse2.MultiplyAddAdjacent(a1, a1), Sse2.MultiplyAddAdjacent(b1, b1)));
                s120 = Sse2.Add(s120, Sse2.MultiplyAddAdjacent(a0, b0));
                s121 = Sse2.Add(s121, Sse2.MultiplyAddAdjacent(a1, b1));
            }
            Sse2.Store(sums + z, Ssse3.HorizontalAdd(Sse2.MultiplyAddAdjacent(sa0, ones), Sse2.MultiplyAddAdjacent(sa1, ones)));
            Sse2.Store(sums + stride + z, Ssse3.HorizontalAdd(Sse2.MultiplyAddAdjacent(sb0, ones), Sse2.MultiplyAddAdjacent(sb1, ones)));
            Sse2.Store(sums + 2 * stride + z, Ssse3.HorizontalAdd(ss0, ss1));
            Sse2.Store(sums + 3 * stride + z, Ssse3.HorizontalAdd(s120, s121));
        }
        return z;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void BlockRowScalar<T>(byte* a, nint strideA, byte* b, nint strideB, int from, int count, int* sums, int stride)
        where T : struct, ISamples
    {
        for (var z = from; z < count; z++)
        {
            int s1 = 0, s2 = 0, ss = 0, s12 = 0;
            for (var y = 0; y < 4; y++)
            {
                for (var x = 0; x < 4; x++)
                {
                    var va = T.Get(a, y * strideA + z * 4 + x);
                    var vb = T.Get(b, y * strideB + z * 4 + x);
                    s1 += va;
                    s2 += vb;
                    ss += va * va + vb * vb;
                    s12 += va * vb;
                }
            }
            sums[z] = s1;
            sums[stride + z] = s2;
            sums[2 * stride + z] = ss;
            sums[3 * stride + z] = s12;
        }
    }

    /// <summary>
    /// Σ(a−b)² of one row of 4x4 blocks from its sums: per block ss − 2·s12 (≥ 0, below 2³¹ up to 12 bit).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ulong BlockRowSse(int* sums, int stride, int count)
    {
        var ss = sums + 2 * stride;
        var s12 = sums + 3 * stride;
        ulong total = 0;
        var z = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var acc = Vector256<ulong>.Zero;
            for (; z + 8 <= count; z += 8)
            {
                var d = (Vector256.Load(ss + z) - (Vector256.Load(s12 + z) << 1)).AsUInt32();
                var (lo, hi) = Vector256.Widen(d);
                acc += lo + hi;
            }
            total = Vector256.Sum(acc);
        }
        for (; z < count; z++)
        {
            total += (uint)(ss[z] - 2 * s12[z]);
        }
        return total;
    }

    // ---------------------------------------------------------------- 8-bit windows

    /// <summary>Sum over windows [0, count) of one window row, 8 bit: per-window float, summed in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double EndLine8(int* r0, int* r1, int stride, int count, SimdLevel level)
    {
        var sum = 0.0;
        var i = level switch
        {
            SimdLevel.Avx2 => EndLine8Avx2(r0, r1, stride, count, ref sum),
            SimdLevel.Sse41 => EndLine8Sse41(r0, r1, stride, count, ref sum),
            _ => 0,
        };
        return sum + EndLine8Scalar(r0, r1, stride, i, count);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int EndLine8Avx2(int* r0, int* r1, int stride, int count, ref double sum)
    {
        var (c1, c2) = Constants(255);
        var vc1 = Vector256.Create((int)c1);
        var vc2 = Vector256.Create((int)c2);
        var acc0 = Vector256<double>.Zero;
        var acc1 = Vector256<double>.Zero;
        var i = 0;
        for (; i + 8 <= count; i += 8)
        {
            var s1 = Window256(r0, r1, i);
            var s2 = Window256(r0 + stride, r1 + stride, i);
            var ss = Window256(r0 + 2 * stride, r1 + 2 * stride, i);
            var s12 = Window256(r0 + 3 * stride, r1 + 3 * stride, i);
            var s1s2 = Avx2.MultiplyLow(s1, s2);
            var s1s1 = Avx2.MultiplyLow(s1, s1);
            var s2s2 = Avx2.MultiplyLow(s2, s2);
            var vars = Avx2.Subtract(Avx2.Subtract(Avx2.ShiftLeftLogical(ss, 6), s1s1), s2s2);
            var covar = Avx2.Subtract(Avx2.ShiftLeftLogical(s12, 6), s1s2);
            var n1 = Avx.ConvertToVector256Single(Avx2.Add(Avx2.Add(s1s2, s1s2), vc1));
            var n2 = Avx.ConvertToVector256Single(Avx2.Add(Avx2.Add(covar, covar), vc2));
            var d1 = Avx.ConvertToVector256Single(Avx2.Add(Avx2.Add(s1s1, s2s2), vc1));
            var d2 = Avx.ConvertToVector256Single(Avx2.Add(vars, vc2));
            var r = Avx.Divide(Avx.Multiply(n1, n2), Avx.Multiply(d1, d2));
            acc0 = Avx.Add(acc0, Avx.ConvertToVector256Double(r.GetLower()));
            acc1 = Avx.Add(acc1, Avx.ConvertToVector256Double(r.GetUpper()));
        }
        sum += Vector256.Sum(Avx.Add(acc0, acc1));
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Window256(int* r0, int* r1, int i) =>
        Avx2.Add(Avx2.Add(Avx.LoadVector256(r0 + i), Avx.LoadVector256(r0 + i + 1)),
                 Avx2.Add(Avx.LoadVector256(r1 + i), Avx.LoadVector256(r1 + i + 1)));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int EndLine8Sse41(int* r0, int* r1, int stride, int count, ref double sum)
    {
        var (c1, c2) = Constants(255);
        var vc1 = Vector128.Create((int)c1);
        var vc2 = Vector128.Create((int)c2);
        var acc0 = Vector128<double>.Zero;
        var acc1 = Vector128<double>.Zero;
        var i = 0;
        for (; i + 4 <= count; i += 4)
        {
            var s1 = Window128(r0, r1, i);
            var s2 = Window128(r0 + stride, r1 + stride, i);
            var ss = Window128(r0 + 2 * stride, r1 + 2 * stride, i);
            var s12 = Window128(r0 + 3 * stride, r1 + 3 * stride, i);
            var s1s2 = Sse41.MultiplyLow(s1, s2);
            var s1s1 = Sse41.MultiplyLow(s1, s1);
            var s2s2 = Sse41.MultiplyLow(s2, s2);
            var vars = Sse2.Subtract(Sse2.Subtract(Sse2.ShiftLeftLogical(ss, 6), s1s1), s2s2);
            var covar = Sse2.Subtract(Sse2.ShiftLeftLogical(s12, 6), s1s2);
            var n1 = Sse2.ConvertToVector128Single(Sse2.Add(Sse2.Add(s1s2, s1s2), vc1));
            var n2 = Sse2.ConvertToVector128Single(Sse2.Add(Sse2.Add(covar, covar), vc2));
            var d1 = Sse2.ConvertToVector128Single(Sse2.Add(Sse2.Add(s1s1, s2s2), vc1));
            var d2 = Sse2.ConvertToVector128Single(Sse2.Add(vars, vc2));
            var r = Sse.Divide(Sse.Multiply(n1, n2), Sse.Multiply(d1, d2));
            acc0 = Sse2.Add(acc0, Sse2.ConvertToVector128Double(r));
            acc1 = Sse2.Add(acc1, Sse2.ConvertToVector128Double(Sse.MoveHighToLow(r, r)));
        }
        sum += Vector128.Sum(Sse2.Add(acc0, acc1));
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Window128(int* r0, int* r1, int i) =>
        Sse2.Add(Sse2.Add(Sse2.LoadVector128(r0 + i), Sse2.LoadVector128(r0 + i + 1)),
                 Sse2.Add(Sse2.LoadVector128(r1 + i), Sse2.LoadVector128(r1 + i + 1)));

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static double EndLine8Scalar(int* r0, int* r1, int stride, int from, int count)
    {
        var (c1, c2) = Constants(255);
        var sum = 0.0;
        for (var i = from; i < count; i++)
        {
            sum += Window(r0, r1, stride, i, c1, c2);
        }
        return sum;
    }

    // ---------------------------------------------------------------- deeper windows

    /// <summary>
    /// Sum over windows [0, count) of one window row, 10/12 bit: window values computed exactly as
    /// <c>ssim_end1x</c> (int64 arithmetic, here in double where every value is an exact integer below 2^53),
    /// then added in float from left to right as <c>ssim_endn_16bit</c> does.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float EndLine16(int* r0, int* r1, int stride, int count, int max, float* scratch, SimdLevel level)
    {
        var i = level switch
        {
            SimdLevel.Avx2 => EndLine16Avx2(r0, r1, stride, count, max, scratch),
            SimdLevel.Sse41 => EndLine16Sse41(r0, r1, stride, count, max, scratch),
            _ => 0,
        };
        var (c1, c2) = Constants(max);
        for (; i < count; i++)
        {
            scratch[i] = Window(r0, r1, stride, i, c1, c2);
        }
        var sum = 0.0f;
        for (var k = 0; k < count; k++)
        {
            sum += scratch[k];
        }
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int EndLine16Avx2(int* r0, int* r1, int stride, int count, int max, float* scratch)
    {
        var (c1, c2) = Constants(max);
        var vc1 = Vector256.Create((double)c1);
        var vc2 = Vector256.Create((double)c2);
        var v64 = Vector256.Create(64.0);
        var i = 0;
        for (; i + 4 <= count; i += 4)
        {
            var s1 = Avx.ConvertToVector256Double(Window128(r0, r1, i));
            var s2 = Avx.ConvertToVector256Double(Window128(r0 + stride, r1 + stride, i));
            var ss = Avx.ConvertToVector256Double(Window128(r0 + 2 * stride, r1 + 2 * stride, i));
            var s12 = Avx.ConvertToVector256Double(Window128(r0 + 3 * stride, r1 + 3 * stride, i));
            var s1s2 = Avx.Multiply(s1, s2);
            var s1s1 = Avx.Multiply(s1, s1);
            var s2s2 = Avx.Multiply(s2, s2);
            var vars = Avx.Subtract(Avx.Subtract(Avx.Multiply(ss, v64), s1s1), s2s2);
            var covar = Avx.Subtract(Avx.Multiply(s12, v64), s1s2);
            var n1 = Avx.ConvertToVector128Single(Avx.Add(Avx.Add(s1s2, s1s2), vc1));
            var n2 = Avx.ConvertToVector128Single(Avx.Add(Avx.Add(covar, covar), vc2));
            var d1 = Avx.ConvertToVector128Single(Avx.Add(Avx.Add(s1s1, s2s2), vc1));
            var d2 = Avx.ConvertToVector128Single(Avx.Add(vars, vc2));
            Sse.Store(scratch + i, Sse.Divide(Sse.Multiply(n1, n2), Sse.Multiply(d1, d2)));
        }
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int EndLine16Sse41(int* r0, int* r1, int stride, int count, int max, float* scratch)
    {
        var (c1, c2) = Constants(max);
        var vc1 = Vector128.Create((double)c1);
        var vc2 = Vector128.Create((double)c2);
        var v64 = Vector128.Create(64.0);
        var i = 0;
        for (; i + 2 <= count; i += 2)
        {
            var s1 = Pair(r0, r1, i);
            var s2 = Pair(r0 + stride, r1 + stride, i);
            var ss = Pair(r0 + 2 * stride, r1 + 2 * stride, i);
            var s12 = Pair(r0 + 3 * stride, r1 + 3 * stride, i);
            var s1s2 = Sse2.Multiply(s1, s2);
            var s1s1 = Sse2.Multiply(s1, s1);
            var s2s2 = Sse2.Multiply(s2, s2);
            var vars = Sse2.Subtract(Sse2.Subtract(Sse2.Multiply(ss, v64), s1s1), s2s2);
            var covar = Sse2.Subtract(Sse2.Multiply(s12, v64), s1s2);
            var n1 = Sse2.ConvertToVector128Single(Sse2.Add(Sse2.Add(s1s2, s1s2), vc1));
            var n2 = Sse2.ConvertToVector128Single(Sse2.Add(Sse2.Add(covar, covar), vc2));
            var d1 = Sse2.ConvertToVector128Single(Sse2.Add(Sse2.Add(s1s1, s2s2), vc1));
            var d2 = Sse2.ConvertToVector128Single(Sse2.Add(vars, vc2));
            var r = Sse.Divide(Sse.Multiply(n1, n2), Sse.Multiply(d1, d2));
            Sse2.StoreLow((double*)(scratch + i), r.AsDouble());
        }
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> Pair(int* r0, int* r1, int i) =>
        Sse2.ConvertToVector128Double(Sse2.LoadScalarVector128((long*)(r0 + i)).AsInt32() + Sse2.LoadScalarVector128((long*)(r0 + i + 1)).AsInt32()
            + Sse2.LoadScalarVector128((long*)(r1 + i)).AsInt32() + Sse2.LoadScalarVector128((long*)(r1 + i + 1)).AsInt32());

    // ---------------------------------------------------------------- one window, the reference formula

    /// <summary>FFmpeg's <c>ssim_end1x</c> for the window whose top-left block is <paramref name="i"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Window(int* r0, int* r1, int stride, int i, long c1, long c2)
    {
        long s1 = (long)r0[i] + r0[i + 1] + r1[i] + r1[i + 1];
        long s2 = (long)r0[stride + i] + r0[stride + i + 1] + r1[stride + i] + r1[stride + i + 1];
        long ss = (long)r0[2 * stride + i] + r0[2 * stride + i + 1] + r1[2 * stride + i] + r1[2 * stride + i + 1];
        long s12 = (long)r0[3 * stride + i] + r0[3 * stride + i + 1] + r1[3 * stride + i] + r1[3 * stride + i + 1];
        return End1(s1, s2, ss, s12, c1, c2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float End1(long s1, long s2, long ss, long s12, long c1, long c2)
    {
        var vars = ss * 64 - s1 * s1 - s2 * s2;
        var covar = s12 * 64 - s1 * s2;
        return (float)(2 * s1 * s2 + c1) * (float)(2 * covar + c2)
             / ((float)(s1 * s1 + s2 * s2 + c1) * (float)(vars + c2));
    }
}
