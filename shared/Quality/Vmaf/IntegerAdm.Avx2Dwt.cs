using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Aqs.Shared.Quality.Vmaf;

// AVX2 twin of the DWT. Levels 1..3: the vertical pass writes its output split into even and odd columns, with the mirrored
// columns (-1, w, w+1) filled in after, so that the horizontal pass reads its four taps 2j-1, 2j, 2j+1, 2j+2 as
// plain loads: odd[j], even[j], odd[j+1], even[j+1] (odd[k] holds column 2k-1). Rows still come from the index
// tables, once per row.
internal sealed partial class IntegerAdm
{
    // Level 0 works on 16-bit words with vpmaddwd: the vertical pass multiplies interleaved row pairs (s0, s1) and
    // (s2, s3) by tap pairs and packs its row to 16 bits in column order, one column of padding in front; the
    // horizontal pass then reads output j's taps as the 32-bit words at columns 2j-1 and 2j+1, i.e. pairs
    // (2j-1, 2j) and (2j+1, 2j+2), and multiplies them by tap pairs again. Every sum fits 32 bits.
    /// <summary>Level 0 of both pictures, row by row; each band row is decoupled (and its CSF taken) right after it
    /// is made, while it is still in the first-level cache.</summary>
    private unsafe void Dwt0DecoupleAvx2(ReadOnlySpan<ushort> reference, ReadOnlySpan<ushort> distorted, int w, int h)
    {
        int halfH = (h + 1) / 2, halfW = (w + 1) / 2;
        var decouple = new DecoupleRows(0, halfW, halfH);
        fixed (ushort* r = reference, d = distorted)
        fixed (short* rowLo = _row16Lo, rowHi = _row16Hi)
        {
            for (var i = 0; i < halfH; i++)
            {
                Dwt0RowAvx2(r, i, w, rowLo, rowHi, _ref);
                Dwt0RowAvx2(d, i, w, rowLo, rowHi, _dis);
                if (i >= decouple.Top && i < decouple.Bottom)
                {
                    DecoupleCsfRowAvx2(i, decouple);
                }
            }
        }
    }

    private unsafe void Dwt0RowAvx2(ushort* s, int i, int w, short* rowLo, short* rowHi, AdmBands dst)
    {
        var shiftV = _bitDepth;
        var roundV = 1 << (_bitDepth - 1);
        var count = Vector128.CreateScalar(shiftV);
        var offLo = Vector256.Create(roundV - LoSum * roundV);
        var offHi = Vector256.Create(roundV);
        var lo01 = TapPair(Lo0, Lo1);
        var lo23 = TapPair(Lo2, Lo3);
        var hi01 = TapPair(Hi0, Hi1);
        var hi23 = TapPair(Hi2, Hi3);
        ushort* p0 = s + _indY[0][i] * w, p1 = s + _indY[1][i] * w, p2 = s + _indY[2][i] * w, p3 = s + _indY[3][i] * w;
        var c = 0;
        for (; c + 16 <= w; c += 16)
        {
            var x0 = Avx.LoadVector256((short*)(p0 + c));
            var x1 = Avx.LoadVector256((short*)(p1 + c));
            var x2 = Avx.LoadVector256((short*)(p2 + c));
            var x3 = Avx.LoadVector256((short*)(p3 + c));
            // Per 128-bit lane, the low unpacks hold columns 0-3 (8-11), the high ones 4-7 (12-15); packing
            // the two results restores column order.
            var u01L = Avx2.UnpackLow(x0, x1);
            var u01H = Avx2.UnpackHigh(x0, x1);
            var u23L = Avx2.UnpackLow(x2, x3);
            var u23H = Avx2.UnpackHigh(x2, x3);
            Avx.Store(rowLo + c + 1, Avx2.PackSignedSaturate(
                VerticalPair(u01L, u23L, lo01, lo23, offLo, count), VerticalPair(u01H, u23H, lo01, lo23, offLo, count)));
            Avx.Store(rowHi + c + 1, Avx2.PackSignedSaturate(
                VerticalPair(u01L, u23L, hi01, hi23, offHi, count), VerticalPair(u01H, u23H, hi01, hi23, offHi, count)));
        }
        for (; c < w; c++)
        {
            int s0 = p0[c], s1 = p1[c], s2 = p2[c], s3 = p3[c];
            rowLo[c + 1] = (short)((Lo0 * s0 + Lo1 * s1 + Lo2 * s2 + Lo3 * s3 - LoSum * roundV + roundV) >> shiftV);
            rowHi[c + 1] = (short)((Hi0 * s0 + Hi1 * s1 + Hi2 * s2 + Hi3 * s3 + roundV) >> shiftV);
        }
        PadRow16(rowLo, w);
        PadRow16(rowHi, w);
        Horizontal0Avx2(rowLo, rowHi, i * _stride, (w + 1) / 2, dst, lo01, lo23, hi01, hi23);
    }

    /// <summary>Two taps as a 16-bit pair, for vpmaddwd.</summary>
    private static Vector256<short> TapPair(int first, int second) => Vector256.Create((second << 16) | (first & 0xFFFF)).AsInt16();

    /// <summary>(short)((pairs01 . taps01 + pairs23 . taps23 + offset) >> count): 16-bit values in 32-bit lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> VerticalPair(Vector256<short> s01, Vector256<short> s23, Vector256<short> t01, Vector256<short> t23,
        Vector256<int> offset, Vector128<int> count) =>
        Sext16(Avx2.ShiftRightArithmetic(Avx2.Add(Avx2.Add(Avx2.MultiplyAddAdjacent(s01, t01), Avx2.MultiplyAddAdjacent(s23, t23)), offset), count));

    /// <summary>The mirrored columns of a 16-bit row stored from index 1: -1 reads 1, w reads w-1, w+1 reads w-2.</summary>
    private static unsafe void PadRow16(short* row, int w)
    {
        row[0] = row[2];
        row[w + 1] = row[w];
        row[w + 2] = row[w - 1];
    }

    private unsafe void Horizontal0Avx2(short* rowLo, short* rowHi, int offset, int halfW, AdmBands dst,
        Vector256<short> lo01, Vector256<short> lo23, Vector256<short> hi01, Vector256<short> hi23)
    {
        var round = Vector256.Create(32768);
        fixed (int* a = dst.A, v = dst.V, hh = dst.H, d = dst.D)
        {
            var j = 0;
            for (; j + 8 <= halfW; j += 8)
            {
                // 32-bit words from column 2j-1 (index 2j): pairs (2j-1, 2j); from column 2j+1: pairs (2j+1, 2j+2).
                var l01 = Avx.LoadVector256(rowLo + 2 * j);
                var l23 = Avx.LoadVector256(rowLo + 2 * j + 2);
                var h01 = Avx.LoadVector256(rowHi + 2 * j);
                var h23 = Avx.LoadVector256(rowHi + 2 * j + 2);
                // >> 16 of these sums is a 16-bit value already: no cast needed.
                Avx.Store(a + offset + j, HorizontalPair(l01, l23, lo01, lo23, round));
                Avx.Store(v + offset + j, HorizontalPair(l01, l23, hi01, hi23, round));
                Avx.Store(hh + offset + j, HorizontalPair(h01, h23, lo01, lo23, round));
                Avx.Store(d + offset + j, HorizontalPair(h01, h23, hi01, hi23, round));
            }
            for (; j < halfW; j++)
            {
                int l0 = rowLo[2 * j], l1 = rowLo[2 * j + 1], l2 = rowLo[2 * j + 2], l3 = rowLo[2 * j + 3];
                a[offset + j] = (short)((Lo0 * l0 + Lo1 * l1 + Lo2 * l2 + Lo3 * l3 + 32768) >> 16);
                v[offset + j] = (short)((Hi0 * l0 + Hi1 * l1 + Hi2 * l2 + Hi3 * l3 + 32768) >> 16);
                int h0 = rowHi[2 * j], h1 = rowHi[2 * j + 1], h2 = rowHi[2 * j + 2], h3 = rowHi[2 * j + 3];
                hh[offset + j] = (short)((Lo0 * h0 + Lo1 * h1 + Lo2 * h2 + Lo3 * h3 + 32768) >> 16);
                d[offset + j] = (short)((Hi0 * h0 + Hi1 * h1 + Hi2 * h2 + Hi3 * h3 + 32768) >> 16);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> HorizontalPair(Vector256<short> p01, Vector256<short> p23, Vector256<short> t01, Vector256<short> t23,
        Vector256<int> round) =>
        Avx2.ShiftRightArithmetic(Avx2.Add(Avx2.Add(Avx2.MultiplyAddAdjacent(p01, t01), Avx2.MultiplyAddAdjacent(p23, t23)), round), 16);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Fir32(Vector256<int> s0, Vector256<int> s1, Vector256<int> s2, Vector256<int> s3, bool low) => low
        ? Avx2.Add(Avx2.Add(Avx2.MultiplyLow(s0, Vector256.Create(Lo0)), Avx2.MultiplyLow(s1, Vector256.Create(Lo1))),
            Avx2.Add(Avx2.MultiplyLow(s2, Vector256.Create(Lo2)), Avx2.MultiplyLow(s3, Vector256.Create(Lo3))))
        : Avx2.Add(Avx2.Add(Avx2.MultiplyLow(s0, Vector256.Create(Hi0)), Avx2.MultiplyLow(s1, Vector256.Create(Hi1))),
            Avx2.Add(Avx2.MultiplyLow(s2, Vector256.Create(Hi2)), Avx2.MultiplyLow(s3, Vector256.Create(Hi3))));

    /// <summary>(taps . s + round) >> shift in 64-bit words, cast to int, 8 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Fir64(Vector256<int> s0, Vector256<int> s1, Vector256<int> s2, Vector256<int> s3, bool low,
        Vector256<long> round, Vector128<long> shift, Vector128<long> shiftUp)
    {
        Vector256<int> k0 = Vector256.Create(low ? Lo0 : Hi0), k1 = Vector256.Create(low ? Lo1 : Hi1);
        Vector256<int> k2 = Vector256.Create(low ? Lo2 : Hi2), k3 = Vector256.Create(low ? Lo3 : Hi3);
        var even = Avx2.Add(Avx2.Add(Avx2.Multiply(s0, k0), Avx2.Multiply(s1, k1)), Avx2.Add(Avx2.Multiply(s2, k2), Avx2.Multiply(s3, k3)));
        var odd = Avx2.Add(Avx2.Add(Avx2.Multiply(Odd(s0), k0), Avx2.Multiply(Odd(s1), k1)),
            Avx2.Add(Avx2.Multiply(Odd(s2), k2), Avx2.Multiply(Odd(s3), k3)));
        return Combine(Avx2.Add(even, round), Avx2.Add(odd, round), shift, shiftUp);
    }

    /// <summary>Levels 1..3, in place, both pictures row by row, each band row decoupled right after it is made.</summary>
    private unsafe void DwtLevelDecoupleAvx2(int[] refSrc, int[] disSrc, int w, int h, int scale)
    {
        ReadOnlySpan<int> roundVs = [0, 32768, 32768];
        ReadOnlySpan<int> shiftVs = [0, 16, 16];
        ReadOnlySpan<int> roundHs = [16384, 32768, 16384];
        ReadOnlySpan<int> shiftHs = [15, 16, 15];
        int halfH = (h + 1) / 2, halfW = (w + 1) / 2;
        var stride = _stride;
        var decouple = new DecoupleRows(scale, halfW, halfH);
        fixed (int* rs = refSrc, ds = disSrc, le = _evenLo, lo = _oddLo, he = _evenHi, ho = _oddHi)
        {
            for (var i = 0; i < halfH; i++)
            {
                int r0 = _indY[0][i] * stride, r1 = _indY[1][i] * stride, r2 = _indY[2][i] * stride, r3 = _indY[3][i] * stride;
                for (var band = 0; band < 2; band++)
                {
                    var p = band == 0 ? rs : ds;
                    VerticalAvx2(p + r0, p + r1, p + r2, p + r3, w, roundVs[scale - 1], shiftVs[scale - 1], le, lo, he, ho);
                    PadColumns(le, lo, w);
                    PadColumns(he, ho, w);
                    HorizontalAvx2(le, lo, he, ho, i * stride, halfW, roundHs[scale - 1], shiftHs[scale - 1], band == 0 ? _ref : _dis);
                }
                if (i >= decouple.Top && i < decouple.Bottom)
                {
                    DecoupleCsfRowAvx2(i, decouple);
                }
            }
        }
    }

    private static unsafe void VerticalAvx2(int* p0, int* p1, int* p2, int* p3, int w, int round, int shift,
        int* le, int* lo, int* he, int* ho)
    {
        var round64 = Vector256.Create((long)round);
        Vector128<long> count = Count(shift), countUp = Count(32 - shift);
        var c = 0;
        for (; c + 16 <= w; c += 16)
        {
            Vector256<int> loA, loB, hiA, hiB;
            if (shift == 0 && round == 0)
            {
                // (int) of the 64-bit sum is its low 32 bits: plain wrapping 32-bit arithmetic.
                loA = Fir32(Avx.LoadVector256(p0 + c), Avx.LoadVector256(p1 + c), Avx.LoadVector256(p2 + c), Avx.LoadVector256(p3 + c), true);
                hiA = Fir32(Avx.LoadVector256(p0 + c), Avx.LoadVector256(p1 + c), Avx.LoadVector256(p2 + c), Avx.LoadVector256(p3 + c), false);
                loB = Fir32(Avx.LoadVector256(p0 + c + 8), Avx.LoadVector256(p1 + c + 8), Avx.LoadVector256(p2 + c + 8), Avx.LoadVector256(p3 + c + 8), true);
                hiB = Fir32(Avx.LoadVector256(p0 + c + 8), Avx.LoadVector256(p1 + c + 8), Avx.LoadVector256(p2 + c + 8), Avx.LoadVector256(p3 + c + 8), false);
            }
            else
            {
                loA = Fir64(Avx.LoadVector256(p0 + c), Avx.LoadVector256(p1 + c), Avx.LoadVector256(p2 + c), Avx.LoadVector256(p3 + c), true, round64, count, countUp);
                hiA = Fir64(Avx.LoadVector256(p0 + c), Avx.LoadVector256(p1 + c), Avx.LoadVector256(p2 + c), Avx.LoadVector256(p3 + c), false, round64, count, countUp);
                loB = Fir64(Avx.LoadVector256(p0 + c + 8), Avx.LoadVector256(p1 + c + 8), Avx.LoadVector256(p2 + c + 8), Avx.LoadVector256(p3 + c + 8), true, round64, count, countUp);
                hiB = Fir64(Avx.LoadVector256(p0 + c + 8), Avx.LoadVector256(p1 + c + 8), Avx.LoadVector256(p2 + c + 8), Avx.LoadVector256(p3 + c + 8), false, round64, count, countUp);
            }
            var k = c >> 1;
            Deinterleave(loA, loB, le + k, lo + k + 1);
            Deinterleave(hiA, hiB, he + k, ho + k + 1);
        }
        for (; c < w; c++)
        {
            long s0 = p0[c], s1 = p1[c], s2 = p2[c], s3 = p3[c];
            StoreColumn(le, lo, c, (int)((Lo0 * s0 + Lo1 * s1 + Lo2 * s2 + Lo3 * s3 + round) >> shift));
            StoreColumn(he, ho, c, (int)((Hi0 * s0 + Hi1 * s1 + Hi2 * s2 + Hi3 * s3 + round) >> shift));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Deinterleave(Vector256<int> a, Vector256<int> b, int* even, int* odd)
    {
        var order = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
        var pa = Avx2.PermuteVar8x32(a, order);
        var pb = Avx2.PermuteVar8x32(b, order);
        Avx.Store(even, Avx2.Permute2x128(pa, pb, 0x20));
        Avx.Store(odd, Avx2.Permute2x128(pa, pb, 0x31));
    }

    private static unsafe void HorizontalAvx2(int* le, int* lo, int* he, int* ho, int offset, int halfW, int round, int shift, AdmBands dst)
    {
        var round64 = Vector256.Create((long)round);
        Vector128<long> count = Count(shift), countUp = Count(32 - shift);
        fixed (int* a = dst.A, v = dst.V, hh = dst.H, d = dst.D)
        {
            var j = 0;
            for (; j + 8 <= halfW; j += 8)
            {
                var l0 = Avx.LoadVector256(lo + j);
                var l1 = Avx.LoadVector256(le + j);
                var l2 = Avx.LoadVector256(lo + j + 1);
                var l3 = Avx.LoadVector256(le + j + 1);
                Avx.Store(a + offset + j, Fir64(l0, l1, l2, l3, true, round64, count, countUp));
                Avx.Store(v + offset + j, Fir64(l0, l1, l2, l3, false, round64, count, countUp));
                var h0 = Avx.LoadVector256(ho + j);
                var h1 = Avx.LoadVector256(he + j);
                var h2 = Avx.LoadVector256(ho + j + 1);
                var h3 = Avx.LoadVector256(he + j + 1);
                Avx.Store(hh + offset + j, Fir64(h0, h1, h2, h3, true, round64, count, countUp));
                Avx.Store(d + offset + j, Fir64(h0, h1, h2, h3, false, round64, count, countUp));
            }
            for (; j < halfW; j++)
            {
                long l0 = lo[j], l1 = le[j], l2 = lo[j + 1], l3 = le[j + 1];
                a[offset + j] = (int)((Lo0 * l0 + Lo1 * l1 + Lo2 * l2 + Lo3 * l3 + round) >> shift);
                v[offset + j] = (int)((Hi0 * l0 + Hi1 * l1 + Hi2 * l2 + Hi3 * l3 + round) >> shift);
                long h0 = ho[j], h1 = he[j], h2 = ho[j + 1], h3 = he[j + 1];
                hh[offset + j] = (int)((Lo0 * h0 + Lo1 * h1 + Lo2 * h2 + Lo3 * h3 + round) >> shift);
                d[offset + j] = (int)((Hi0 * h0 + Hi1 * h1 + Hi2 * h2 + Hi3 * h3 + round) >> shift);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreColumn(int* even, int* odd, int c, int value)
    {
        if ((c & 1) == 0)
        {
            even[c >> 1] = value;
        }
        else
        {
            odd[(c >> 1) + 1] = value;
        }
    }

    /// <summary>The mirrored columns of dwt2_src_indices_filt: -1 reads 1; w reads w-1; w+1 reads w-2.</summary>
    private static unsafe void PadColumns(int* even, int* odd, int w)
    {
        var half = (w + 1) / 2;
        odd[0] = odd[1];
        if ((w & 1) == 0)
        {
            even[half] = odd[half];
        }
        else
        {
            odd[half] = even[half - 1];
            even[half] = odd[half - 1];
        }
    }
}
