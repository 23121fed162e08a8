namespace Aqs.Shared.Quality.Vmaf;

internal sealed partial class IntegerAdm
{
    private static readonly float Cos1DegSq = (float)(Math.Cos(1.0 * Math.PI / 180.0) * Math.Cos(1.0 * Math.PI / 180.0));

    /// <summary>
    /// Splits the distorted detail bands into restored = clamp(dis/ref, 0, 1) * ref and additive = dis - restored
    /// (adm_decouple / adm_decouple_s123). The ratio uses the 2^30/x table on the reference value's 15 leading bits.
    /// Where the (h, v) orientation of dis is within 1 degree of ref's, the restored part may grow up to dis
    /// (enhancement gain limit 100). Level 0 keeps 16-bit values.
    /// </summary>
    private void Decouple(int w, int h, bool level0)
    {
        var (left, top, right, bottom) = Region(w, h, withTaps: true);
        var div = FixedPointTables.Division;
        var stride = _stride;
        for (var i = top; i < bottom; i++)
        {
            for (var j = left; j < right; j++)
            {
                DecouplePixel(i * stride + j, level0, div);
            }
        }
    }

    private void DecouplePixel(int index, bool level0, int[] div)
    {
        int oh = _ref.H[index], ov = _ref.V[index], od = _ref.D[index];
        int th = _dis.H[index], tv = _dis.V[index], td = _dis.D[index];

        var otDp = (long)oh * th + (long)ov * tv;
        var oMagSq = (long)oh * oh + (long)ov * ov;
        var tMagSq = (long)th * th + (long)tv * tv;
        // libvmaf evaluates this in double from float-rounded products; keep its exact operations.
        var dp = (float)otDp / 4096.0;
        var angleFlag = dp >= 0.0f &&
                        dp * dp >= Cos1DegSq * ((float)oMagSq / 4096.0) * ((float)tMagSq / 4096.0);

        var kh = Ratio(oh, th, div);
        var kv = Ratio(ov, tv, div);
        var kd = Ratio(od, td, div);

        var rh = (int)((kh * oh + 16384) >> 15);
        var rv = (int)((kv * ov + 16384) >> 15);
        var rd = (int)((kd * od + 16384) >> 15);
        if (angleFlag)
        {
            rh = Enhance(rh, kh, oh, th);
            rv = Enhance(rv, kv, ov, tv);
            rd = Enhance(rd, kd, od, td);
        }
        if (level0)
        {
            rh = (short)rh;
            rv = (short)rv;
            rd = (short)rd;
            _aH[index] = (short)(th - rh);
            _aV[index] = (short)(tv - rv);
            _aD[index] = (short)(td - rd);
        }
        else
        {
            _aH[index] = th - rh;
            _aV[index] = tv - rv;
            _aD[index] = td - rd;
        }
        _rH[index] = rh;
        _rV[index] = rv;
        _rD[index] = rd;
    }

    /// <summary>clamp(t / o, 0, 1) in Q15. For |o| &lt; 2^15 this is libvmaf's level-0 table division; above, o is
    /// first rounded to its 15 leading bits (get_best15_from32) and the shift undone after.</summary>
    private static long Ratio(int o, int t, int[] div)
    {
        if (o == 0)
        {
            return 32768;
        }
        var abs = (uint)Math.Abs(o);
        var shift = 0;
        if (abs >= 32768)
        {
            shift = 17 - System.Numerics.BitOperations.LeadingZeroCount(abs);
            abs = (abs + (1u << (shift - 1))) >> shift;
        }
        var sign = o < 0 ? -1L : 1L;
        var k = (((long)div[abs + 32768] * t) * sign + (1L << (14 + shift))) >> (15 + shift);
        return k < 0 ? 0 : k > 32768 ? 32768 : k;
    }

    private static int Enhance(int restored, long k, int o, int t)
    {
        // sign of (k / 32768) * (o / 64) in float: k is never negative, so it is the sign of o where k > 0.
        if (k > 0 && o > 0)
        {
            var grown = restored * GainLimit;
            return grown < t ? (int)grown : t;
        }
        if (k > 0 && o < 0)
        {
            var grown = restored * GainLimit;
            return grown > t ? (int)grown : t;
        }
        return restored;
    }
}
