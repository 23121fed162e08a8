namespace Aqs.Shared.Quality.Vmaf;

internal sealed partial class IntegerAdm
{
    // db2 analysis filters in Q15 (sum of the low-pass taps: 46342 ~ sqrt(2) * 2^15).
    private const int Lo0 = 15826, Lo1 = 27411, Lo2 = 7345, Lo3 = -4240;
    private const int Hi0 = -4240, Hi1 = -7345, Hi2 = 27411, Hi3 = -15826;
    private const int LoSum = 46342;

    /// <summary>Level 0 from samples: vertical pass centred on 0 (minus LoSum * 2^(bpc-1)) and shifted by bpc,
    /// horizontal pass shifted by 16; every value kept in 16 bits like libvmaf's adm_dwt2_8/16.</summary>
    private void Dwt0(ReadOnlySpan<ushort> src, int w, int h, AdmBands dst)
    {
        var shiftV = _bitDepth;
        var roundV = 1 << (_bitDepth - 1);
        var lo = _tmpLoRef;
        var hi = _tmpHiRef;
        int halfH = (h + 1) / 2, halfW = (w + 1) / 2;
        for (var i = 0; i < halfH; i++)
        {
            int r0 = _indY[0][i] * w, r1 = _indY[1][i] * w, r2 = _indY[2][i] * w, r3 = _indY[3][i] * w;
            for (var j = 0; j < w; j++)
            {
                int s0 = src[r0 + j], s1 = src[r1 + j], s2 = src[r2 + j], s3 = src[r3 + j];
                var accumLo = Lo0 * s0 + Lo1 * s1 + Lo2 * s2 + Lo3 * s3 - LoSum * roundV;
                lo[j] = (short)((accumLo + roundV) >> shiftV);
                var accumHi = Hi0 * s0 + Hi1 * s1 + Hi2 * s2 + Hi3 * s3;
                hi[j] = (short)((accumHi + roundV) >> shiftV);
            }
            HorizontalPass0(lo, hi, i * _stride, halfW, dst);
        }
    }

    private void HorizontalPass0(int[] lo, int[] hi, int offset, int halfW, AdmBands dst)
    {
        for (var j = 0; j < halfW; j++)
        {
            int j0 = _indX[0][j], j1 = _indX[1][j], j2 = _indX[2][j], j3 = _indX[3][j];
            int l0 = lo[j0], l1 = lo[j1], l2 = lo[j2], l3 = lo[j3];
            dst.A[offset + j] = (short)((Lo0 * l0 + Lo1 * l1 + Lo2 * l2 + Lo3 * l3 + 32768) >> 16);
            dst.V[offset + j] = (short)((Hi0 * l0 + Hi1 * l1 + Hi2 * l2 + Hi3 * l3 + 32768) >> 16);
            int h0 = hi[j0], h1 = hi[j1], h2 = hi[j2], h3 = hi[j3];
            dst.H[offset + j] = (short)((Lo0 * h0 + Lo1 * h1 + Lo2 * h2 + Lo3 * h3 + 32768) >> 16);
            dst.D[offset + j] = (short)((Hi0 * h0 + Hi1 * h1 + Hi2 * h2 + Hi3 * h3 + 32768) >> 16);
        }
    }

    /// <summary>Levels 1..3 from the previous approximation band, in 32/64-bit words (adm_dwt2_s123_combined).</summary>
    private void DwtLevel(int[] refSrc, int[] disSrc, int w, int h, int scale)
    {
        ReadOnlySpan<int> roundVs = [0, 32768, 32768];
        ReadOnlySpan<int> shiftVs = [0, 16, 16];
        ReadOnlySpan<int> roundHs = [16384, 32768, 16384];
        ReadOnlySpan<int> shiftHs = [15, 16, 15];
        long roundV = roundVs[scale - 1], roundH = roundHs[scale - 1];
        int shiftV = shiftVs[scale - 1], shiftH = shiftHs[scale - 1];
        int halfH = (h + 1) / 2, halfW = (w + 1) / 2;
        var stride = _stride;
        for (var i = 0; i < halfH; i++)
        {
            int r0 = _indY[0][i] * stride, r1 = _indY[1][i] * stride, r2 = _indY[2][i] * stride, r3 = _indY[3][i] * stride;
            VerticalPass(refSrc, r0, r1, r2, r3, w, roundV, shiftV, _tmpLoRef, _tmpHiRef);
            VerticalPass(disSrc, r0, r1, r2, r3, w, roundV, shiftV, _tmpLoDis, _tmpHiDis);
            HorizontalPass(_tmpLoRef, _tmpHiRef, i * stride, halfW, roundH, shiftH, _ref);
            HorizontalPass(_tmpLoDis, _tmpHiDis, i * stride, halfW, roundH, shiftH, _dis);
        }
    }

    private static void VerticalPass(int[] src, int r0, int r1, int r2, int r3, int w, long round, int shift, int[] lo, int[] hi)
    {
        for (var j = 0; j < w; j++)
        {
            long s0 = src[r0 + j], s1 = src[r1 + j], s2 = src[r2 + j], s3 = src[r3 + j];
            lo[j] = (int)((Lo0 * s0 + Lo1 * s1 + Lo2 * s2 + Lo3 * s3 + round) >> shift);
            hi[j] = (int)((Hi0 * s0 + Hi1 * s1 + Hi2 * s2 + Hi3 * s3 + round) >> shift);
        }
    }

    private void HorizontalPass(int[] lo, int[] hi, int offset, int halfW, long round, int shift, AdmBands dst)
    {
        for (var j = 0; j < halfW; j++)
        {
            int j0 = _indX[0][j], j1 = _indX[1][j], j2 = _indX[2][j], j3 = _indX[3][j];
            long l0 = lo[j0], l1 = lo[j1], l2 = lo[j2], l3 = lo[j3];
            dst.A[offset + j] = (int)((Lo0 * l0 + Lo1 * l1 + Lo2 * l2 + Lo3 * l3 + round) >> shift);
            dst.V[offset + j] = (int)((Hi0 * l0 + Hi1 * l1 + Hi2 * l2 + Hi3 * l3 + round) >> shift);
            long h0 = hi[j0], h1 = hi[j1], h2 = hi[j2], h3 = hi[j3];
            dst.H[offset + j] = (int)((Lo0 * h0 + Lo1 * h1 + Lo2 * h2 + Lo3 * h3 + round) >> shift);
            dst.D[offset + j] = (int)((Hi0 * h0 + Hi1 * h1 + Hi2 * h2 + Hi3 * h3 + round) >> shift);
        }
    }
}
