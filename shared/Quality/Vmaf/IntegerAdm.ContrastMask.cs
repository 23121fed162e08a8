namespace Aqs.Shared.Quality.Vmaf;

internal sealed partial class IntegerAdm
{
    /// <summary>
    /// Level 0 numerator (adm_cm): restored bands weighted by the CSF (Q21/Q23), minus the masking threshold
    /// (3x3 sum of csf_f with the centre replaced by |csf_a| / 15, over the three orientations), clamped at 0,
    /// cubed with libvmaf's intermediate shifts; rows summed with a rounding shift by ceil(log2 h).
    /// </summary>
    private float ContrastMaskScale0(int w, int h)
    {
        var (left, top, right, bottom) = Region(w, h, withTaps: false);
        var shiftCubHv = (int)(uint)Math.Ceiling(Math.Log2(w) - 4);
        var roundCubHv = (long)(uint)Math.Pow(2, (double)(uint)(shiftCubHv - 1));
        var shiftCubD = (int)(uint)Math.Ceiling(Math.Log2(w) - 3);
        var roundCubD = (long)(uint)Math.Pow(2, (double)(uint)(shiftCubD - 1));
        var shiftInner = (int)(uint)Math.Ceiling(Math.Log2(h));
        var roundInner = (long)(uint)Math.Pow(2, (double)(uint)(shiftInner - 1));
        long accumH = 0, accumV = 0, accumD = 0;
        for (var i = top; i < bottom; i++)
        {
            long innerH = 0, innerV = 0, innerD = 0;
            for (var j = left; j < right; j++)
            {
                var thr = Threshold0(i, j, w, h);
                var index = i * _stride + j;
                innerH += Cube0(_rH[index] * 36453, thr << 10, 268435456, 29, roundCubHv, shiftCubHv);
                innerV += Cube0(_rV[index] * 36453, thr << 10, 268435456, 29, roundCubHv, shiftCubHv);
                innerD += Cube0(_rD[index] * 49417, thr << 12, 536870912, 30, roundCubD, shiftCubD);
            }
            accumH += (innerH + roundInner) >> shiftInner;
            accumV += (innerV + roundInner) >> shiftInner;
            accumD += (innerD + roundInner) >> shiftInner;
        }
        var fh = (float)(accumH / Math.Pow(2, (double)(uint)(52 - shiftCubHv - shiftInner)));
        var fv = (float)(accumV / Math.Pow(2, (double)(uint)(52 - shiftCubHv - shiftInner)));
        var fd = (float)(accumD / Math.Pow(2, (double)(uint)(57 - shiftCubD - shiftInner)));
        return CubeRootSum(fh, fv, fd, (bottom - top) * (right - left));
    }

    private static long Cube0(int x, int threshold, long roundSq, int shiftSq, long roundCub, int shiftCub)
    {
        x = Math.Abs(x) - threshold;
        x = x < 0 ? 0 : x;
        var xSq = (int)(((long)x * x + roundSq) >> shiftSq);
        return ((long)xSq * x + roundCub) >> shiftCub;
    }

    private int Threshold0(int i, int j, int w, int h)
    {
        const int oneBy15 = 8738;
        var up = CmMirror(i - 1, h) * _stride;
        var mid = i * _stride;
        var down = CmMirror(i + 1, h) * _stride;
        var l = CmMirror(j - 1, w);
        var r = CmMirror(j + 1, w);
        var sum = 0;
        sum += Neighbours(_fltH, up, mid, down, l, j, r) + (short)((oneBy15 * Math.Abs(_csfH[mid + j]) + 2048) >> 12);
        sum += Neighbours(_fltV, up, mid, down, l, j, r) + (short)((oneBy15 * Math.Abs(_csfV[mid + j]) + 2048) >> 12);
        sum += Neighbours(_fltD, up, mid, down, l, j, r) + (short)((oneBy15 * Math.Abs(_csfD[mid + j]) + 2048) >> 12);
        return sum;
    }

    /// <summary>Levels 1..3 numerator (i4_adm_cm).</summary>
    private float ContrastMask(int scale, int w, int h)
    {
        var (left, top, right, bottom) = Region(w, h, withTaps: false);
        var (hv, d) = CsfFactors(scale);
        var factorHv = (uint)(hv * Math.Pow(2, 32));
        var factorD = (uint)(d * Math.Pow(2, 32));
        var shiftCub = (uint)Math.Ceiling(Math.Log2(w));
        var roundCub = (long)(uint)Math.Pow(2, (double)(shiftCub - 1));
        var shiftInner = (uint)Math.Ceiling(Math.Log2(h));
        var roundInner = (long)(uint)Math.Pow(2, (double)(shiftInner - 1));
        ReadOnlySpan<uint> finals = [45, 39, 36];
        var finalShift = (float)Math.Pow(2, (double)(finals[scale - 1] - shiftCub - shiftInner));
        long accumH = 0, accumV = 0, accumD = 0;
        for (var i = top; i < bottom; i++)
        {
            long innerH = 0, innerV = 0, innerD = 0;
            for (var j = left; j < right; j++)
            {
                var thr = Threshold(i, j, w, h);
                var index = i * _stride + j;
                innerH += Cube(Weight(_rH[index], factorHv), thr, roundCub, (int)shiftCub);
                innerV += Cube(Weight(_rV[index], factorHv), thr, roundCub, (int)shiftCub);
                innerD += Cube(Weight(_rD[index], factorD), thr, roundCub, (int)shiftCub);
            }
            accumH += (innerH + roundInner) >> (int)shiftInner;
            accumV += (innerV + roundInner) >> (int)shiftInner;
            accumD += (innerD + roundInner) >> (int)shiftInner;
        }
        var fh = (float)(accumH / (double)finalShift);
        var fv = (float)(accumV / (double)finalShift);
        var fd = (float)(accumD / (double)finalShift);
        return CubeRootSum(fh, fv, fd, (bottom - top) * (right - left));
    }

    private static int Weight(int value, uint factor) => (int)((value * (long)factor + (1 << 27)) >> 28);

    private static long Cube(int x, int threshold, long roundCub, int shiftCub)
    {
        x = Math.Abs(x) - threshold;
        x = x < 0 ? 0 : x;
        var xSq = (int)(((long)x * x + 536870912) >> 30);
        return ((long)xSq * x + roundCub) >> shiftCub;
    }

    private int Threshold(int i, int j, int w, int h)
    {
        const long oneBy15 = 286331153;
        const long round = int.MinValue; // (int32_t)(1u << 31), as libvmaf
        var up = CmMirror(i - 1, h) * _stride;
        var mid = i * _stride;
        var down = CmMirror(i + 1, h) * _stride;
        var l = CmMirror(j - 1, w);
        var r = CmMirror(j + 1, w);
        var sum = 0;
        sum += Neighbours(_fltH, up, mid, down, l, j, r) + (int)((oneBy15 * Math.Abs(_csfH[mid + j]) + round) >> 32);
        sum += Neighbours(_fltV, up, mid, down, l, j, r) + (int)((oneBy15 * Math.Abs(_csfV[mid + j]) + round) >> 32);
        sum += Neighbours(_fltD, up, mid, down, l, j, r) + (int)((oneBy15 * Math.Abs(_csfD[mid + j]) + round) >> 32);
        return sum;
    }

    private static int Neighbours(int[] flt, int up, int mid, int down, int l, int c, int r) =>
        flt[up + l] + flt[up + c] + flt[up + r] + flt[mid + l] + flt[mid + r] + flt[down + l] + flt[down + c] + flt[down + r];

    /// <summary>The 3x3 masking window's edge rule: index -1 reads 1, index n reads n-1.</summary>
    private static int CmMirror(int index, int n) => index < 0 ? -index : index >= n ? n - 1 : index;
}
