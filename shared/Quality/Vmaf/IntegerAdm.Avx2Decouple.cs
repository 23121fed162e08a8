using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Aqs.Shared.Quality.Vmaf;

// AVX2 twin of Decouple fused with the CSF: 8 pixels a step, branch-free, writing the restored bands and, instead of
// the additive bands, the masking sums F and G of their CSF (see IntegerAdm.Avx2Mask.cs). The 1-degree angle test
// keeps libvmaf's float/double arithmetic lane by lane; the 2^30/x table is gathered.
//
// Level 0 is specialised on a bound: its bands are >> 16 of 16-bit rows filtered with taps whose magnitudes sum to
// 54822, so |band| <= 27412. Hence the angle test's sums of two products fit 32 bits (cvtdq2ps rounds them as the
// scalar (float)int64 does), no |o| reaches 2^15 (no get_best15 shift), and r * 100 cannot overflow.
internal sealed partial class IntegerAdm
{
    /// <summary>The region and CSF weights of one level's decoupling, for <see cref="DecoupleCsfRowAvx2"/>.</summary>
    private readonly struct DecoupleRows
    {
        public readonly int Scale, Left, Top, Right, Bottom, FactorHv, FactorD;

        public DecoupleRows(int scale, int w, int h)
        {
            Scale = scale;
            (Left, Top, Right, Bottom) = Region(w, h, withTaps: true);
            var (hv, d) = CsfFactors(scale);
            FactorHv = (int)(uint)(hv * Math.Pow(2, 32));
            FactorD = (int)(uint)(d * Math.Pow(2, 32));
        }
    }

    private unsafe void DecoupleCsfRowAvx2(int i, in DecoupleRows rows)
    {
        var level0 = rows.Scale == 0;
        int left = rows.Left, right = rows.Right, factorHv = rows.FactorHv, factorD = rows.FactorD;
        var div = FixedPointTables.Division;
        var stride = _stride;
        fixed (int* oH = _ref.H, oV = _ref.V, oD = _ref.D, tH = _dis.H, tV = _dis.V, tD = _dis.D)
        fixed (int* rH = _rH, rV = _rV, rD = _rD, f = _maskF, g = _maskG, table = div)
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
                Vector256<int> rh, rv, rd, flt, centre;
                if (level0)
                {
                    var angle = Angle16(oh, ov, th, tv);
                    rh = Restore16(oh, th, angle, table);
                    rv = Restore16(ov, tv, angle, table);
                    rd = Restore16(od, td, angle, table);
                    var (fh, ch) = Csf16(Sext16(Avx2.Subtract(th, rh)), 36453, 16384, diagonal: false);
                    var (fv, cv) = Csf16(Sext16(Avx2.Subtract(tv, rv)), 36453, 16384, diagonal: false);
                    var (fd, cd) = Csf16(Sext16(Avx2.Subtract(td, rd)), 49417, 65535, diagonal: true);
                    flt = Avx2.Add(Avx2.Add(fh, fv), fd);
                    centre = Avx2.Add(Avx2.Add(ch, cv), cd);
                }
                else
                {
                    if (Fit16(oh, ov, od, th, tv, td))
                    {
                        // Most blocks of levels 1..3 hold values of 16 bits too; there both formulas agree.
                        var angle = Angle16(oh, ov, th, tv);
                        rh = Restore16(oh, th, angle, table);
                        rv = Restore16(ov, tv, angle, table);
                        rd = Restore16(od, td, angle, table);
                    }
                    else
                    {
                        var angle = Angle32(oh, ov, th, tv, x);
                        rh = Restore32(oh, th, angle, table);
                        rv = Restore32(ov, tv, angle, table);
                        rd = Restore32(od, td, angle, table);
                    }
                    var (fh, ch) = Csf32(Avx2.Subtract(th, rh), Vector256.Create(factorHv));
                    var (fv, cv) = Csf32(Avx2.Subtract(tv, rv), Vector256.Create(factorHv));
                    var (fd, cd) = Csf32(Avx2.Subtract(td, rd), Vector256.Create(factorD));
                    flt = Avx2.Add(Avx2.Add(fh, fv), fd);
                    centre = Avx2.Add(Avx2.Add(ch, cv), cd);
                }
                Avx.Store(rH + x, rh);
                Avx.Store(rV + x, rv);
                Avx.Store(rD + x, rd);
                Avx.Store(f + x, flt);
                Avx.Store(g + x, Avx2.Subtract(centre, flt));
            }
            for (; j < right; j++)
            {
                var x = i * stride + j;
                DecouplePixel(x, level0, div);
                var (flt, centre) = level0
                    ? Add(Add(CsfPixel0(_aH[x], 36453, 16384, 15), CsfPixel0(_aV[x], 36453, 16384, 15)), CsfPixel0(_aD[x], 49417, 65535, 17))
                    : Add(Add(CsfPixel(_aH[x], (uint)factorHv), CsfPixel(_aV[x], (uint)factorHv)), CsfPixel(_aD[x], (uint)factorD));
                f[x] = flt;
                g[x] = centre - flt;
            }
        }
    }

    /// <summary>Whether every value lies in -32767..32767: the bound under which Angle16 and Restore16 are exact
    /// (sums of two products stay below 2^31, |o| needs no get_best15 shift, 100 r cannot overflow).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Fit16(Vector256<int> a, Vector256<int> b, Vector256<int> c, Vector256<int> d, Vector256<int> e, Vector256<int> f)
    {
        var max = Avx2.Max(Avx2.Max(Avx2.Max(Avx2.Abs(a), Avx2.Abs(b)), Avx2.Max(Avx2.Abs(c), Avx2.Abs(d))), Avx2.Max(Avx2.Abs(e), Avx2.Abs(f)));
        // |int.MinValue| is 2^31 as unsigned: the unsigned max keeps it out.
        return Avx.TestZ(max.AsInt32(), Vector256.Create(~32767));
    }

    private static (int Flt, int Centre) Add((int Flt, int Centre) a, (int Flt, int Centre) b) => (a.Flt + b.Flt, a.Centre + b.Centre);

    /// <summary>Scalar csf_f and masking centre term of one level-0 additive value (as Csf0Band and Threshold0).</summary>
    private static (int Flt, int Centre) CsfPixel0(int a, int factor, int round, int shift)
    {
        var value = (short)((factor * a + round) >> shift);
        return ((short)((4369 * Math.Abs(value) + 2048) >> 12), (short)((8738 * Math.Abs(value) + 2048) >> 12));
    }

    /// <summary>Scalar csf_f and masking centre term of one level 1..3 additive value (as CsfBand and Threshold).</summary>
    private static (int Flt, int Centre) CsfPixel(int a, uint factor)
    {
        const long round = int.MinValue; // (int32_t)(1u << 31), as libvmaf
        var value = (int)((factor * (long)a + (1 << 27)) >> 28);
        return ((int)((143165577L * Math.Abs(value) + round) >> 32), (int)((286331153L * Math.Abs(value) + round) >> 32));
    }

    /// <summary>The angle test for level 0 (see the bound above): dp = oh*th + ov*tv etc. exact in 32 bits; the test
    /// dp >= 0 and dp^2 >= cos^2 * |o|^2 * |t|^2 in double on the float-rounded sums. The scalar code scales each
    /// float by 1/4096 first; powers of two change no rounding, so the comparison is made unscaled.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Angle16(Vector256<int> oh, Vector256<int> ov, Vector256<int> th, Vector256<int> tv)
    {
        var dp = Avx2.Add(Avx2.MultiplyLow(oh, th), Avx2.MultiplyLow(ov, tv));
        var fdp = Avx.ConvertToVector256Single(dp);
        var fo = Avx.ConvertToVector256Single(Avx2.Add(Avx2.MultiplyLow(oh, oh), Avx2.MultiplyLow(ov, ov)));
        var ft = Avx.ConvertToVector256Single(Avx2.Add(Avx2.MultiplyLow(th, th), Avx2.MultiplyLow(tv, tv)));
        var lower = AngleTestUnscaled(fdp.GetLower(), fo.GetLower(), ft.GetLower());
        var upper = AngleTestUnscaled(fdp.GetUpper(), fo.GetUpper(), ft.GetUpper());
        var inside = Vector256.Narrow(lower.AsInt64(), upper.AsInt64());
        return Avx2.AndNot(Avx2.CompareGreaterThan(Vector256<int>.Zero, dp), inside);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> AngleTestUnscaled(Vector128<float> otDp, Vector128<float> oMagSq, Vector128<float> tMagSq)
    {
        var dp = Avx.ConvertToVector256Double(otDp);
        var rhs = Avx.Multiply(Avx.Multiply(Vector256.Create((double)Cos1DegSq), Avx.ConvertToVector256Double(oMagSq)),
            Avx.ConvertToVector256Double(tMagSq));
        return Avx.CompareGreaterThanOrEqual(Avx.Multiply(dp, dp), rhs);
    }

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

    /// <summary>Level 0 restored part: k = clamp((table[o] * t + 2^14) >> 15, 0, 32768), r = (k*o + 2^14) >> 15,
    /// grown to min/max(100 r, t) where the angle test passed and k*o != 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<int> Restore16(Vector256<int> o, Vector256<int> t, Vector256<int> angle, int* table)
    {
        var zero = Vector256<int>.Zero;
        var isZero = Avx2.CompareEqual(o, zero);
        var d = Avx2.GatherVector256(table, Avx2.Add(o, Vector256.Create(32768)), 4);
        var k = ClampQ15(Avx2.Multiply(d, t), Avx2.Multiply(Odd(d), Odd(t)));
        k = Avx2.BlendVariable(k, Vector256.Create(32768), isZero);
        var r = Avx2.ShiftRightArithmetic(Avx2.Add(Avx2.MultiplyLow(k, o), Vector256.Create(16384)), 15);
        var r100 = Avx2.MultiplyLow(r, Vector256.Create(100));
        var grown = Avx2.BlendVariable(Avx2.Max(r100, t), Avx2.Min(r100, t), Avx2.CompareGreaterThan(o, zero));
        var enhance = Avx2.AndNot(isZero, Avx2.And(angle, Avx2.CompareGreaterThan(k, zero)));
        return Avx2.BlendVariable(r, grown, enhance);
    }

    /// <summary>clamp((x + 2^14) >> 15, 0, 32768) of the even-lane and odd-lane 64-bit products x, in 32-bit lane order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> ClampQ15(Vector256<long> even, Vector256<long> odd)
    {
        if (Avx512F.VL.IsSupported)
        {
            var round = Vector256.Create(1L << 14);
            even = Avx2.Add(even, round);
            odd = Avx2.Add(odd, round);
            var low = Vector256<long>.Zero;
            var high = Vector256.Create((32768L << 15) + 32767);
            return Combine(Avx512F.VL.Min(Avx512F.VL.Max(even, low), high), Avx512F.VL.Min(Avx512F.VL.Max(odd, low), high), Count(15), Count(17));
        }
        var kEven = Quotient(even, Vector256<int>.Zero);
        var kOdd = Quotient(odd, Vector256<int>.Zero);
        return Avx2.Blend(kEven.AsInt32(), Avx2.ShiftLeftLogical(kOdd, 32).AsInt32(), 0xAA);
    }

    /// <summary>Levels 1..3 restored part: as Restore16, with |o| above 2^15 first rounded to its 15 leading bits
    /// (get_best15_from32), 64-bit products and r * 100 guarded against int overflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<int> Restore32(Vector256<int> o, Vector256<int> t, Vector256<int> angle, int* table)
    {
        var zero = Vector256<int>.Zero;
        var negative = Avx2.CompareGreaterThan(zero, o);
        var isZero = Avx2.CompareEqual(o, zero);
        var abs = Avx2.Abs(o).AsInt32();
        // shift = bit length - 15 for |o| >= 2^15, from the float exponent of |o| >> 8 (exact below 2^24).
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

        var round = Vector256.Create(16384L);
        var r = Combine(Avx2.Add(Avx2.Multiply(k, o), round), Avx2.Add(Avx2.Multiply(Odd(k), Odd(o)), round), Count(15), Count(17));

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
