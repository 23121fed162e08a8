namespace Aqs.Shared.Quality.Vmaf;

internal sealed partial class IntegerAdm
{
    /// <summary>
    /// Level 0 CSF of the additive part (adm_csf): Q21/Q23 weights fixed for the default viewing geometry
    /// {36453, 36453, 49417}, 16-bit results; csf_f = |csf_a| / 30 in Q12.
    /// </summary>
    private void Csf0(int w, int h)
    {
        var (left, top, right, bottom) = Region(w, h, withTaps: true);
        Csf0Band(_aH, _csfH, _fltH, 36453, 16384, 15, left, top, right, bottom);
        Csf0Band(_aV, _csfV, _fltV, 36453, 16384, 15, left, top, right, bottom);
        Csf0Band(_aD, _csfD, _fltD, 49417, 65535, 17, left, top, right, bottom);
    }

    private void Csf0Band(int[] src, int[] dst, int[] flt, int factor, int round, int shift, int left, int top, int right, int bottom)
    {
        const int oneBy30 = 4369; // (1/30) * 2^17
        for (var i = top; i < bottom; i++)
        {
            var row = i * _stride;
            for (var j = left; j < right; j++)
            {
                var value = (short)((factor * src[row + j] + round) >> shift);
                dst[row + j] = value;
                flt[row + j] = (short)((oneBy30 * Math.Abs(value) + 2048) >> 12);
            }
        }
    }

    /// <summary>
    /// Levels 1..3 CSF (i4_adm_csf): Q32 weights, results >> 28; csf_f = |csf_a| * (2^32 / 30) >> 32 with
    /// libvmaf's rounding constant 1u &lt;&lt; 31 stored in an int32, i.e. -2^31: it rounds down by a half.
    /// </summary>
    private void Csf(int scale, int w, int h)
    {
        var (left, top, right, bottom) = Region(w, h, withTaps: true);
        var (hv, d) = CsfFactors(scale);
        var factorHv = (uint)(hv * Math.Pow(2, 32));
        var factorD = (uint)(d * Math.Pow(2, 32));
        CsfBand(_aH, _csfH, _fltH, factorHv, left, top, right, bottom);
        CsfBand(_aV, _csfV, _fltV, factorHv, left, top, right, bottom);
        CsfBand(_aD, _csfD, _fltD, factorD, left, top, right, bottom);
    }

    private void CsfBand(int[] src, int[] dst, int[] flt, uint factor, int left, int top, int right, int bottom)
    {
        const long oneBy30 = 143165577;
        const long roundFlt = int.MinValue; // (int32_t)(1u << 31)
        for (var i = top; i < bottom; i++)
        {
            var row = i * _stride;
            for (var j = left; j < right; j++)
            {
                var value = (int)((factor * (long)src[row + j] + (1 << 27)) >> 28);
                dst[row + j] = value;
                flt[row + j] = (int)((oneBy30 * Math.Abs(value) + roundFlt) >> 32);
            }
        }
    }

    /// <summary>Level 0 denominator: cube norm of the reference detail bands (adm_csf_den_scale).</summary>
    private float DenominatorScale0(int w, int h)
    {
        var (left, top, right, bottom) = Region(w, h, withTaps: false);
        var (hv, d) = CsfFactors(0);
        var shiftAccum = (int)Math.Ceiling(Math.Log2((bottom - top) * (right - left)) - 20);
        shiftAccum = Math.Max(shiftAccum, 0);
        var roundAccum = shiftAccum > 0 ? 1ul << (shiftAccum - 1) : 0ul;
        ulong accumH = 0, accumV = 0, accumD = 0;
        for (var i = top; i < bottom; i++)
        {
            var row = i * _stride;
            ulong innerH = 0, innerV = 0, innerD = 0;
            for (var j = left; j < right; j++)
            {
                ulong bh = (ushort)Math.Abs(_ref.H[row + j]);
                ulong bv = (ushort)Math.Abs(_ref.V[row + j]);
                ulong bd = (ushort)Math.Abs(_ref.D[row + j]);
                innerH += bh * bh * bh;
                innerV += bv * bv * bv;
                innerD += bd * bd * bd;
            }
            accumH += (innerH + roundAccum) >> shiftAccum;
            accumV += (innerV + roundAccum) >> shiftAccum;
            accumD += (innerD + roundAccum) >> shiftAccum;
        }
        var shiftCsf = Math.Pow(2, 18 - shiftAccum);
        return CubeRootSum(accumH / shiftCsf * Math.Pow(hv, 3), accumV / shiftCsf * Math.Pow(hv, 3),
            accumD / shiftCsf * Math.Pow(d, 3), (bottom - top) * (right - left));
    }

    /// <summary>Levels 1..3 denominator (adm_csf_den_s123).</summary>
    private float DenominatorScale(int scale, int w, int h)
    {
        var (left, top, right, bottom) = Region(w, h, withTaps: false);
        var (hv, d) = CsfFactors(scale);
        ReadOnlySpan<int> shiftSqs = [31, 30, 31];
        ReadOnlySpan<uint> convert = [32, 27, 23];
        var shiftSq = shiftSqs[scale - 1];
        var roundSq = 1ul << shiftSq; // libvmaf adds 1u << shift, not 1u << (shift - 1)
        var shiftCub = (uint)Math.Ceiling(Math.Log2(right - left));
        var roundCub = (ulong)(uint)Math.Pow(2, (double)(shiftCub - 1));
        var shiftAccum = (uint)Math.Ceiling(Math.Log2(bottom - top));
        var roundAccum = (ulong)(uint)Math.Pow(2, (double)(shiftAccum - 1));
        ulong accumH = 0, accumV = 0, accumD = 0;
        for (var i = top; i < bottom; i++)
        {
            var row = i * _stride;
            ulong innerH = 0, innerV = 0, innerD = 0;
            for (var j = left; j < right; j++)
            {
                ulong bh = (uint)Math.Abs(_ref.H[row + j]);
                ulong bv = (uint)Math.Abs(_ref.V[row + j]);
                ulong bd = (uint)Math.Abs(_ref.D[row + j]);
                innerH += ((((bh * bh) + roundSq) >> shiftSq) * bh + roundCub) >> (int)shiftCub;
                innerV += ((((bv * bv) + roundSq) >> shiftSq) * bv + roundCub) >> (int)shiftCub;
                innerD += ((((bd * bd) + roundSq) >> shiftSq) * bd + roundCub) >> (int)shiftCub;
            }
            accumH += (innerH + roundAccum) >> (int)shiftAccum;
            accumV += (innerV + roundAccum) >> (int)shiftAccum;
            accumD += (innerD + roundAccum) >> (int)shiftAccum;
        }
        var shiftCsf = Math.Pow(2, (double)(convert[scale - 1] - shiftAccum - shiftCub));
        return CubeRootSum(accumH / shiftCsf * Math.Pow(hv, 3), accumV / shiftCsf * Math.Pow(hv, 3),
            accumD / shiftCsf * Math.Pow(d, 3), (bottom - top) * (right - left));
    }

    /// <summary>sum over h, v, d of cbrt(csf) + cbrt(area * noise weight), in float with powf like libvmaf.</summary>
    internal static float CubeRootSum(double h, double v, double d, int area)
    {
        var add = MathF.Pow((float)(area * NoiseWeight), 1.0f / 3.0f);
        var sh = MathF.Pow((float)h, 1.0f / 3.0f) + add;
        var sv = MathF.Pow((float)v, 1.0f / 3.0f) + add;
        var sd = MathF.Pow((float)d, 1.0f / 3.0f) + add;
        return sh + sv + sd;
    }
}
