using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Aqs.Shared.Quality.Vmaf;

// AVX2 twins of the denominator, CSF and contrast-masking passes. The masking threshold is a sum over the three
// orientations of a 3x3 neighbourhood (centre excluded) of csf_f plus a centre term from |csf_a|; integer sums
// reassociate exactly, so the CSF (fused into the decouple pass) stores only F = sum of csf_f and G = sum of centre terms - F per pixel, and
// the threshold is the 3x3 box sum of F plus G: one vertical 3-row sum per row, then three loads per pixel.
// Sums over a row run over whole vectors with the lanes past the region's end zeroed (x = 0 cubes to 0).
internal sealed partial class IntegerAdm
{
    private unsafe float DenominatorScale0Avx2(int w, int h)
    {
        var (left, top, right, bottom) = Region(w, h, withTaps: false);
        var (hv, d) = CsfFactors(0);
        var shiftAccum = (int)Math.Ceiling(Math.Log2((bottom - top) * (right - left)) - 20);
        shiftAccum = Math.Max(shiftAccum, 0);
        var roundAccum = shiftAccum > 0 ? 1ul << (shiftAccum - 1) : 0ul;
        ulong accumH = 0, accumV = 0, accumD = 0;
        fixed (int* bh = _ref.H, bv = _ref.V, bd = _ref.D)
        {
            for (var i = top; i < bottom; i++)
            {
                Vector256<long> sumH = default, sumV = default, sumD = default;
                for (var j = left; j < right; j += 8)
                {
                    var x = i * _stride + j;
                    var valid = Before(j, right);
                    sumH = Avx2.Add(sumH, Cube16(Avx2.And(Avx2.Abs(Avx.LoadVector256(bh + x)).AsInt32(), valid)));
                    sumV = Avx2.Add(sumV, Cube16(Avx2.And(Avx2.Abs(Avx.LoadVector256(bv + x)).AsInt32(), valid)));
                    sumD = Avx2.Add(sumD, Cube16(Avx2.And(Avx2.Abs(Avx.LoadVector256(bd + x)).AsInt32(), valid)));
                }
                accumH += ((ulong)Sum(sumH) + roundAccum) >> shiftAccum;
                accumV += ((ulong)Sum(sumV) + roundAccum) >> shiftAccum;
                accumD += ((ulong)Sum(sumD) + roundAccum) >> shiftAccum;
            }
        }
        var shiftCsf = Math.Pow(2, 18 - shiftAccum);
        return CubeRootSum(accumH / shiftCsf * Math.Pow(hv, 3), accumV / shiftCsf * Math.Pow(hv, 3),
            accumD / shiftCsf * Math.Pow(d, 3), (bottom - top) * (right - left));
    }

    /// <summary>b^3 for b &lt;= 2^15, summed over the even and odd lanes into four 64-bit lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<long> Cube16(Vector256<int> b)
    {
        var sq = Avx2.MultiplyLow(b, b);
        return Avx2.Add(Avx2.Multiply(sq.AsUInt32(), b.AsUInt32()), Avx2.Multiply(Odd(sq).AsUInt32(), Odd(b).AsUInt32())).AsInt64();
    }

    private unsafe float DenominatorScaleAvx2(int scale, int w, int h)
    {
        var (left, top, right, bottom) = Region(w, h, withTaps: false);
        var (hv, d) = CsfFactors(scale);
        ReadOnlySpan<int> shiftSqs = [31, 30, 31];
        ReadOnlySpan<uint> convert = [32, 27, 23];
        var shiftSq = shiftSqs[scale - 1];
        var shiftCub = (uint)Math.Ceiling(Math.Log2(right - left));
        var roundCub = (ulong)(uint)Math.Pow(2, (double)(shiftCub - 1));
        var shiftAccum = (uint)Math.Ceiling(Math.Log2(bottom - top));
        var roundAccum = (ulong)(uint)Math.Pow(2, (double)(shiftAccum - 1));
        var p = new DenParams(Vector256.Create(1UL << shiftSq), Count(shiftSq), Vector256.Create(roundCub), Count((int)shiftCub));
        ulong accumH = 0, accumV = 0, accumD = 0;
        fixed (int* bh = _ref.H, bv = _ref.V, bd = _ref.D)
        {
            for (var i = top; i < bottom; i++)
            {
                Vector256<ulong> sumH = default, sumV = default, sumD = default;
                for (var j = left; j < right; j += 8)
                {
                    var x = i * _stride + j;
                    var valid = Before(j, right);
                    sumH = Avx2.Add(sumH, Cube32(Avx2.Abs(Avx.LoadVector256(bh + x)), valid, p));
                    sumV = Avx2.Add(sumV, Cube32(Avx2.Abs(Avx.LoadVector256(bv + x)), valid, p));
                    sumD = Avx2.Add(sumD, Cube32(Avx2.Abs(Avx.LoadVector256(bd + x)), valid, p));
                }
                accumH += ((ulong)Sum(sumH.AsInt64()) + roundAccum) >> (int)shiftAccum;
                accumV += ((ulong)Sum(sumV.AsInt64()) + roundAccum) >> (int)shiftAccum;
                accumD += ((ulong)Sum(sumD.AsInt64()) + roundAccum) >> (int)shiftAccum;
            }
        }
        var shiftCsf = Math.Pow(2, (double)(convert[scale - 1] - shiftAccum - shiftCub));
        return CubeRootSum(accumH / shiftCsf * Math.Pow(hv, 3), accumV / shiftCsf * Math.Pow(hv, 3),
            accumD / shiftCsf * Math.Pow(d, 3), (bottom - top) * (right - left));
    }

    private readonly record struct DenParams(Vector256<ulong> RoundSq, Vector128<long> ShiftSq, Vector256<ulong> RoundCub, Vector128<long> ShiftCub);

    /// <summary>((b^2 + roundSq) >> shiftSq) * b + roundCub) >> shiftCub in unsigned 64-bit words, even + odd lanes; lanes outside <paramref name="valid"/> add nothing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Cube32(Vector256<uint> b, Vector256<int> valid, DenParams p)
    {
        var bo = Odd(b.AsInt32()).AsUInt32();
        var sqE = Avx2.ShiftRightLogical(Avx2.Add(Avx2.Multiply(b, b), p.RoundSq), p.ShiftSq.AsUInt64());
        var sqO = Avx2.ShiftRightLogical(Avx2.Add(Avx2.Multiply(bo, bo), p.RoundSq), p.ShiftSq.AsUInt64());
        var cE = Avx2.ShiftRightLogical(Avx2.Add(Avx2.Multiply(sqE.AsUInt32(), b), p.RoundCub), p.ShiftCub.AsUInt64());
        var cO = Avx2.ShiftRightLogical(Avx2.Add(Avx2.Multiply(sqO.AsUInt32(), bo), p.RoundCub), p.ShiftCub.AsUInt64());
        return Avx2.Add(Avx2.And(cE, Even64(valid).AsUInt64()), Avx2.And(cO, Odd(valid).AsUInt64()));
    }

    /// <summary>csf_a = (short)((factor * a + round) >> (diagonal ? 17 : 15)); csf_f = (short)(|csf_a| / 30 in Q12); the masking
    /// centre term (short)(|csf_a| / 15 in Q12).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<int> Flt, Vector256<int> Centre) Csf16(Vector256<int> a, int factor, int round, bool diagonal)
    {
        var product = Avx2.Add(Avx2.MultiplyLow(a, Vector256.Create(factor)), Vector256.Create(round));
        var value = Sext16(diagonal ? Avx2.ShiftRightArithmetic(product, 17) : Avx2.ShiftRightArithmetic(product, 15));
        var abs = Avx2.Abs(value).AsInt32();
        var r = Vector256.Create(2048);
        var flt = Sext16(Avx2.ShiftRightArithmetic(Avx2.Add(Avx2.MultiplyLow(abs, Vector256.Create(4369)), r), 12));
        var centre = Sext16(Avx2.ShiftRightArithmetic(Avx2.Add(Avx2.MultiplyLow(abs, Vector256.Create(8738)), r), 12));
        return (flt, centre);
    }

    /// <summary>csf_a = (int)((factor * a + 2^27) >> 28); csf_f and the centre term = (int)((c * |csf_a| - 2^31) >> 32).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<int> Flt, Vector256<int> Centre) Csf32(Vector256<int> a, Vector256<int> factor)
    {
        var value = Weight32(a, factor);
        var abs = Avx2.Abs(value);
        var absOdd = Odd(abs.AsInt32()).AsUInt32();
        var half = Vector256.Create(1L << 31);
        var c30 = Vector256.Create(143165577u);
        var c15 = Vector256.Create(286331153u);
        var flt = High(Avx2.Subtract(Avx2.Multiply(abs, c30).AsInt64(), half), Avx2.Subtract(Avx2.Multiply(absOdd, c30).AsInt64(), half));
        var centre = High(Avx2.Subtract(Avx2.Multiply(abs, c15).AsInt64(), half), Avx2.Subtract(Avx2.Multiply(absOdd, c15).AsInt64(), half));
        return (flt, centre);
    }

    /// <summary>(int)((value * factor + 2^27) >> 28) with factor &lt; 2^31.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Weight32(Vector256<int> value, Vector256<int> factor)
    {
        var round = Vector256.Create(1L << 27);
        return Combine(Avx2.Add(Avx2.Multiply(value, factor), round), Avx2.Add(Avx2.Multiply(Odd(value), factor), round), Count(28), Count(4));
    }

    /// <summary>Numerator of one level (adm_cm / i4_adm_cm) from the restored bands, F and G.</summary>
    private unsafe float ContrastMaskAvx2(int scale, int w, int h)
    {
        var (left, top, right, bottom) = Region(w, h, withTaps: false);
        int shiftHv, shiftD, shiftInner;
        long roundHv, roundD, roundInner;
        double finalHv, finalD;
        if (scale == 0)
        {
            shiftHv = (int)(uint)Math.Ceiling(Math.Log2(w) - 4);
            roundHv = (long)(uint)Math.Pow(2, (double)(uint)(shiftHv - 1));
            shiftD = (int)(uint)Math.Ceiling(Math.Log2(w) - 3);
            roundD = (long)(uint)Math.Pow(2, (double)(uint)(shiftD - 1));
            shiftInner = (int)(uint)Math.Ceiling(Math.Log2(h));
            roundInner = (long)(uint)Math.Pow(2, (double)(uint)(shiftInner - 1));
            finalHv = Math.Pow(2, (double)(uint)(52 - shiftHv - shiftInner));
            finalD = Math.Pow(2, (double)(uint)(57 - shiftD - shiftInner));
        }
        else
        {
            var shiftCub = (uint)Math.Ceiling(Math.Log2(w));
            shiftHv = shiftD = (int)shiftCub;
            roundHv = roundD = (long)(uint)Math.Pow(2, (double)(shiftCub - 1));
            var inner = (uint)Math.Ceiling(Math.Log2(h));
            shiftInner = (int)inner;
            roundInner = (long)(uint)Math.Pow(2, (double)(inner - 1));
            ReadOnlySpan<uint> finals = [45, 39, 36];
            finalHv = finalD = (float)Math.Pow(2, (double)(finals[scale - 1] - shiftCub - inner));
        }
        var (hv, d) = CsfFactors(scale);
        var factorHv = Vector256.Create((int)(uint)(hv * Math.Pow(2, 32)));
        var factorD = Vector256.Create((int)(uint)(d * Math.Pow(2, 32)));
        var cubeHv = new CubeParams(Vector256.Create(scale == 0 ? 1L << 28 : 1L << 29), Count(scale == 0 ? 29 : 30),
            Vector256.Create(roundHv), Count(shiftHv));
        var cubeD = new CubeParams(Vector256.Create(1L << 29), Count(30), Vector256.Create(roundD), Count(shiftD));
        long accumH = 0, accumV = 0, accumD = 0;
        var stride = _stride;
        fixed (int* rH = _rH, rV = _rV, rD = _rD, f = _maskF, g = _maskG, box = _box)
        {
            for (var i = top; i < bottom; i++)
            {
                int up = CmMirror(i - 1, h) * stride, mid = i * stride, down = CmMirror(i + 1, h) * stride;
                // box[c + 1] = F summed over rows i-1..i+1 at column c; box[0] and box[w + 1] are the mirrored columns.
                int lo = Math.Max(left - 1, 0), hi = Math.Min(right + 1, w);
                for (var c = lo; c < hi; c += 8)
                {
                    Avx.Store(box + c + 1, Avx2.Add(Avx2.Add(Avx.LoadVector256(f + up + c), Avx.LoadVector256(f + mid + c)), Avx.LoadVector256(f + down + c)));
                }
                if (left == 0)
                {
                    box[0] = box[2];
                }
                if (right == w)
                {
                    box[w + 1] = box[w];
                }
                Vector256<long> sumH = default, sumV = default, sumD = default;
                for (var j = left; j < right; j += 8)
                {
                    var x = mid + j;
                    var valid = Before(j, right);
                    var thr = Avx2.Add(Avx2.Add(Avx.LoadVector256(box + j), Avx.LoadVector256(box + j + 1)),
                        Avx2.Add(Avx.LoadVector256(box + j + 2), Avx.LoadVector256(g + x)));
                    Vector256<int> wh, wv, wd, thrHv, thrD;
                    if (scale == 0)
                    {
                        wh = Avx2.MultiplyLow(Avx.LoadVector256(rH + x), Vector256.Create(36453));
                        wv = Avx2.MultiplyLow(Avx.LoadVector256(rV + x), Vector256.Create(36453));
                        wd = Avx2.MultiplyLow(Avx.LoadVector256(rD + x), Vector256.Create(49417));
                        thrHv = Avx2.ShiftLeftLogical(thr, 10);
                        thrD = Avx2.ShiftLeftLogical(thr, 12);
                    }
                    else
                    {
                        wh = Weight32(Avx.LoadVector256(rH + x), factorHv);
                        wv = Weight32(Avx.LoadVector256(rV + x), factorHv);
                        wd = Weight32(Avx.LoadVector256(rD + x), factorD);
                        thrHv = thrD = thr;
                    }
                    sumH = Avx2.Add(sumH, CubeMasked(wh, thrHv, valid, cubeHv));
                    sumV = Avx2.Add(sumV, CubeMasked(wv, thrHv, valid, cubeHv));
                    sumD = Avx2.Add(sumD, CubeMasked(wd, thrD, valid, cubeD));
                }
                accumH += (Sum(sumH) + roundInner) >> shiftInner;
                accumV += (Sum(sumV) + roundInner) >> shiftInner;
                accumD += (Sum(sumD) + roundInner) >> shiftInner;
            }
        }
        var fh = (float)(accumH / finalHv);
        var fv = (float)(accumV / finalHv);
        var fd = (float)(accumD / finalD);
        return CubeRootSum(fh, fv, fd, (bottom - top) * (right - left));
    }

    private readonly record struct CubeParams(Vector256<long> RoundSq, Vector128<long> ShiftSq, Vector256<long> RoundCub, Vector128<long> ShiftCub);

    /// <summary>x = max(|w| - thr, 0); ((long)(int)((x^2 + roundSq) >> shiftSq) * x + roundCub) >> shiftCub, summed
    /// over even and odd lanes; lanes outside <paramref name="valid"/> add nothing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<long> CubeMasked(Vector256<int> w, Vector256<int> thr, Vector256<int> valid, CubeParams p)
    {
        var x = Avx2.Max(Avx2.Subtract(Avx2.Abs(w).AsInt32(), thr), Vector256<int>.Zero);
        var xo = Odd(x);
        var sqE = Avx2.ShiftRightLogical(Avx2.Add(Avx2.Multiply(x.AsUInt32(), x.AsUInt32()).AsInt64(), p.RoundSq), p.ShiftSq);
        var sqO = Avx2.ShiftRightLogical(Avx2.Add(Avx2.Multiply(xo.AsUInt32(), xo.AsUInt32()).AsInt64(), p.RoundSq), p.ShiftSq);
        var cE = Sra64(Avx2.Add(Avx2.Multiply(sqE.AsInt32(), x), p.RoundCub), p.ShiftCub);
        var cO = Sra64(Avx2.Add(Avx2.Multiply(sqO.AsInt32(), xo), p.RoundCub), p.ShiftCub);
        // Mask the cubes, not x: on narrow levels libvmaf's rounding constant is 2^32 - 1 with a shift of 0, so a
        // zero does not cube to zero.
        return Avx2.Add(Avx2.And(cE, Even64(valid)), Avx2.And(cO, Odd(valid).AsInt64()));
    }
}
