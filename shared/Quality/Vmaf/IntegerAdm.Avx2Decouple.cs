using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Aqs.Shared.Quality.Vmaf;

// AVX2 twin of Decouple, 8 pixels a step, branch-free. The 1-degree angle test keeps libvmaf's float/double
// arithmetic lane by lane (same conversions, same operation order); the 2^30/x table is gathered.
internal sealed partial class IntegerAdm
{
    private unsafe void DecoupleAvx2(int w, int h, bool level0)
    {
        var (left, top, right, bottom) = Region(w, h, withTaps: true);
        var div = FixedPointTables.Division;
        var stride = _stride;
        fixed (int* oH = _ref.H, oV = _ref.V, oD = _ref.D, tH = _dis.H, tV = _dis.V, tD = _dis.D)
        fixed (int* rH = _rH, rV = _rV, rD = _rD, aH = _aH, aV = _aV, aD = _aD, table = div)
        {
            for (var i = top; i < bottom; i++)
            {
                var j = left;
                for (; j + 8 <= right; j += 8)
                {
                    var x = i * stride + j;
                    var oh = Avx.LoadVector256(oH + x);
                    var ov = Avx.LoadVector256(oV + x);
                    var od = Avx.LoadVector256(oD + x);
                    var th = Avx.LoadVector256(tH + x);
                    var tv = Avx.LoadVector256(tV + x);
                    var td = Avx.LoadVector256(tD + x);
                    var angle = level0 ? Angle16(oh, ov, th, tv) : Angle32(oh, ov, th, tv, x);
                    var rh = Restore(oh, th, angle, level0, table);
                    var rv = Restore(ov, tv, angle, level0, table);
                    var rd = Restore(od, td, angle, level0, table);
                    if (level0)
                    {
                        rh = Sext16(rh);
                        rv = Sext16(rv);
                        rd = Sext16(rd);
                        Avx.Store(aH + x, Sext16(Avx2.Subtract(th, rh)));
                        Avx.Store(aV + x, Sext16(Avx2.Subtract(tv, rv)));
                        Avx.Store(aD + x, Sext16(Avx2.Subtract(td, rd)));
                    }
                    else
                    {
                        Avx.Store(aH + x, Avx2.Subtract(th, rh));
                        Avx.Store(aV + x, Avx2.Subtract(tv, rv));
                        Avx.Store(aD + x, Avx2.Subtract(td, rd));
                    }
                    Avx.Store(rH + x, rh);
                    Avx.Store(rV + x, rv);
                    Avx.Store(rD + x, rd);
                }
                for (; j < right; j++)
                {
                    DecouplePixel(i * stride + j, level0, div);
                }
            }
        }
    }

    /// <summary>
    /// The angle test for 16-bit bands: every product fits 32 bits and the sum of two is exact in double, so
    /// converting that double to float rounds exactly as the scalar (float)int64 does.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Angle16(Vector256<int> oh, Vector256<int> ov, Vector256<int> th, Vector256<int> tv)
    {
        var dp1 = Avx2.MultiplyLow(oh, th);
        var dp2 = Avx2.MultiplyLow(ov, tv);
        var o1 = Avx2.MultiplyLow(oh, oh);
        var o2 = Avx2.MultiplyLow(ov, ov);
        var t1 = Avx2.MultiplyLow(th, th);
        var t2 = Avx2.MultiplyLow(tv, tv);
        var lower = AngleTest(SumToFloat(dp1.GetLower(), dp2.GetLower()), SumToFloat(o1.GetLower(), o2.GetLower()),
            SumToFloat(t1.GetLower(), t2.GetLower()));
        var upper = AngleTest(SumToFloat(dp1.GetUpper(), dp2.GetUpper()), SumToFloat(o1.GetUpper(), o2.GetUpper()),
            SumToFloat(t1.GetUpper(), t2.GetUpper()));
        return Vector256.Narrow(lower.AsInt64(), upper.AsInt64());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> SumToFloat(Vector128<int> a, Vector128<int> b) =>
        Avx.ConvertToVector128Single(Avx.Add(Avx.ConvertToVector256Double(a), Avx.ConvertToVector256Double(b)));

    /// <summary>dp >= 0 and dp^2 >= cos^2(1 deg) * |o|^2 * |t|^2 with dp = (float)ot_dp / 4096.0 etc. in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> AngleTest(Vector128<float> otDp, Vector128<float> oMagSq, Vector128<float> tMagSq)
    {
        var scale = Vector256.Create(1.0 / 4096.0);
        var dp = Avx.Multiply(Avx.ConvertToVector256Double(otDp), scale);
        var om = Avx.Multiply(Avx.ConvertToVector256Double(oMagSq), scale);
        var tm = Avx.Multiply(Avx.ConvertToVector256Double(tMagSq), scale);
        var rhs = Avx.Multiply(Avx.Multiply(Vector256.Create((double)Cos1DegSq), om), tm);
        return Avx.And(Avx.CompareGreaterThanOrEqual(dp, Vector256<double>.Zero), Avx.CompareGreaterThanOrEqual(Avx.Multiply(dp, dp), rhs));
    }

    /// <summary>
    /// The angle test for 32-bit bands: the products need 64 bits and their float conversion needs AVX-512DQ's
    /// vcvtqq2ps; without it the lanes are tested one by one with the scalar formula.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private unsafe Vector256<int> Angle32(Vector256<int> oh, Vector256<int> ov, Vector256<int> th, Vector256<int> tv, int index)
    {
        if (Avx512DQ.VL.IsSupported)
        {
            var even = Angle64(oh, ov, th, tv);
            var odd = Angle64(Odd(oh), Odd(ov), Odd(th), Odd(tv));
            return Avx2.Blend(even.AsInt32(), Avx2.ShiftLeftLogical(odd.AsInt64(), 32).AsInt32(), 0xAA);
        }
        var flags = stackalloc int[8];
        for (var k = 0; k < 8; k++)
        {
            int h1 = _ref.H[index + k], v1 = _ref.V[index + k], h2 = _dis.H[index + k], v2 = _dis.V[index + k];
            var dp = (float)((long)h1 * h2 + (long)v1 * v2) / 4096.0;
            var flag = dp >= 0.0f && dp * dp >= Cos1DegSq * ((float)((long)h1 * h1 + (long)v1 * v1) / 4096.0) *
                ((float)((long)h2 * h2 + (long)v2 * v2) / 4096.0);
            flags[k] = flag ? -1 : 0;
        }
        return Avx.LoadVector256(flags);
    }

    /// <summary>The angle test on the even 32-bit lanes, as 64-bit masks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Angle64(Vector256<int> oh, Vector256<int> ov, Vector256<int> th, Vector256<int> tv)
    {
        var otDp = Avx2.Add(Avx2.Multiply(oh, th), Avx2.Multiply(ov, tv));
        var oMagSq = Avx2.Add(Avx2.Multiply(oh, oh), Avx2.Multiply(ov, ov));
        var tMagSq = Avx2.Add(Avx2.Multiply(th, th), Avx2.Multiply(tv, tv));
        return AngleTest(Avx512DQ.VL.ConvertToVector128Single(otDp), Avx512DQ.VL.ConvertToVector128Single(oMagSq),
            Avx512DQ.VL.ConvertToVector128Single(tMagSq));
    }

    /// <summary>Restored part of one band: k = clamp(t/o) from the table, r = k*o in Q15, grown towards t where the
    /// angle test passed (gain limit 100).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<int> Restore(Vector256<int> o, Vector256<int> t, Vector256<int> angle, bool level0, int* table)
    {
        var zero = Vector256<int>.Zero;
        var negative = Avx2.CompareGreaterThan(zero, o);
        var isZero = Avx2.CompareEqual(o, zero);
        var abs = Avx2.Abs(o).AsInt32();
        // get_best15_from32 for |o| >= 2^15: shift = bit length - 15, from the float exponent of |o| >> 8 (exact).
        var big = Avx2.CompareGreaterThan(abs, Vector256.Create(32767));
        var exponent = Avx2.ShiftRightLogical(Avx.ConvertToVector256Single(Avx2.ShiftRightLogical(abs, 8)).AsInt32(), 23);
        var shift = Avx2.And(Avx2.Subtract(exponent, Vector256.Create(127 + 6)), big);
        var half = Avx2.ShiftRightLogical(Avx2.ShiftLeftLogicalVariable(Vector256.Create(1), shift.AsUInt32()), 1);
        var rounded = Avx2.ShiftRightLogicalVariable(Avx2.Add(abs, half), shift.AsUInt32());
        // table[32768 + sign * rounded] = sign * 2^30 / rounded
        var index = Avx2.Add(Vector256.Create(32768), Avx2.Subtract(Avx2.Xor(rounded, negative), negative));
        var d = Avx2.GatherVector256(table, index, 4);

        var kEven = Quotient(Avx2.Multiply(d, t), shift);
        var kOdd = Quotient(Avx2.Multiply(Odd(d), Odd(t)), Odd(shift));
        var k = Avx2.Blend(kEven.AsInt32(), Avx2.ShiftLeftLogical(kOdd, 32).AsInt32(), 0xAA);
        k = Avx2.BlendVariable(k, Vector256.Create(32768), isZero);

        Vector256<int> r;
        if (level0)
        {
            r = Avx2.ShiftRightArithmetic(Avx2.Add(Avx2.MultiplyLow(k, o), Vector256.Create(16384)), 15);
        }
        else
        {
            var round = Vector256.Create(16384L);
            r = Combine(Avx2.Add(Avx2.Multiply(k, o), round), Avx2.Add(Avx2.Multiply(Odd(k), Odd(o)), round), Count(15), Count(17));
        }

        // r * 100 overflows int only where |r| > 21474836, and there |r * 100| > |t| for any int t: t wins.
        var r100 = Avx2.MultiplyLow(r, Vector256.Create(100));
        var up = Avx2.BlendVariable(Avx2.Min(r100, t), t, Avx2.CompareGreaterThan(r, Vector256.Create(21474836)));
        var down = Avx2.BlendVariable(Avx2.Max(r100, t), t, Avx2.CompareGreaterThan(Vector256.Create(-21474836), r));
        var grown = Avx2.BlendVariable(down, up, Avx2.CompareGreaterThan(o, zero));
        var enhance = Avx2.AndNot(isZero, Avx2.And(angle, Avx2.CompareGreaterThan(k, zero)));
        return Avx2.BlendVariable(r, grown, enhance);
    }

    /// <summary>clamp((x + 2^(14+s)) >> (15+s), 0, 32768) on the even lanes' 64-bit products x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<long> Quotient(Vector256<long> product, Vector256<int> shift)
    {
        var s = Avx2.And(shift.AsInt64(), Vector256.Create(0xFFFFFFFFL)).AsUInt64();
        var x = Avx2.Add(product, Avx2.ShiftLeftLogicalVariable(Vector256.Create(1L << 14), s));
        var negative = Avx2.CompareGreaterThan(Vector256<long>.Zero, x);
        var k = Avx2.ShiftRightLogicalVariable(x, Avx2.Add(s, Vector256.Create(15UL)));
        var limit = Vector256.Create(32768L);
        k = Avx2.BlendVariable(k, limit, Avx2.CompareGreaterThan(k, limit));
        return Avx2.AndNot(negative, k);
    }
}
