using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Aqs.Shared.Quality.Vmaf;

// The scale-0 vertical pass for 8-bit samples with vpmaddwd, two filter taps (two rows) per instruction, bit-exact
// to VerticalMoments. Rows k and k + 1 are interleaved 16 bits apart and multiplied by (f[k], f[k + 1]). Squares of
// 8-bit samples do not fit a signed 16-bit lane, so the samples are centred (c = r - 128) first:
//   r^2 = c^2 + 256 r - 2^14 and r d = cr cd + 128 (r + d) - 2^14, so with the taps summing to 2^16
//   sum f r^2 = sum f c^2 + 256 sum f r - 2^30, sum f r d = sum f cr cd + 128 (sum f r + sum f d) - 2^30,
// computed modulo 2^32 (the true sums fit 32 bits, as the scalar code relies on for 8-bit input).
// The interleave works within 128-bit lanes, so the sums come out in a lane order the stores undo.
internal sealed partial class IntegerVif
{
    /// <summary>Filter taps of scale 0 in pairs for vpmaddwd (the last pair is (f[16], 0)).</summary>
    private static readonly int[] VerticalPairs = BuildPairs(Filters[0])!;

    /// <summary>Pixels [0, returned) of the row done; 32 (AVX-512) or 16 (AVX2) per step.</summary>
    private int VerticalMoments8Bit(ReadOnlySpan<ushort> reference, ReadOnlySpan<ushort> distorted, int w, ReadOnlySpan<int> rows, uint roundMu, int shiftMu)
    {
        ref var r0 = ref MemoryMarshal.GetReference(reference);
        ref var d0 = ref MemoryMarshal.GetReference(distorted);
        ref var mu1Out = ref _mu1[Pad];
        ref var mu2Out = ref _mu2[Pad];
        ref var xxOut = ref _xx[Pad];
        ref var yyOut = ref _yy[Pad];
        ref var xyOut = ref _xy[Pad];
        var pairs = VerticalPairs;
        var j = 0;
        if (_wide && Vector512.IsHardwareAccelerated)
        {
            var centre = Vector512.Create((ushort)128);
            var bias = Vector512.Create(1u << 30);
            var round = Vector512.Create(roundMu);
            var first = Vector512.Create(0ul, 1, 8, 9, 2, 3, 10, 11);
            var second = Vector512.Create(4ul, 5, 12, 13, 6, 7, 14, 15);
            for (; j + 32 <= w; j += 32)
            {
                Vector512<int> m1L = default, m1H = default, m2L = default, m2H = default, xxL = default, xxH = default,
                    yyL = default, yyH = default, xyL = default, xyH = default;
                for (var m = 0; m < pairs.Length; m++)
                {
                    var k = 2 * m;
                    var k1 = k + 1 < rows.Length ? k + 1 : k;
                    var f = Vector512.Create(pairs[m]).AsInt16();
                    var ra = Vector512.LoadUnsafe(ref r0, (nuint)(rows[k] + j));
                    var rb = Vector512.LoadUnsafe(ref r0, (nuint)(rows[k1] + j));
                    var da = Vector512.LoadUnsafe(ref d0, (nuint)(rows[k] + j));
                    var db = Vector512.LoadUnsafe(ref d0, (nuint)(rows[k1] + j));
                    var ca = (ra - centre).AsInt16();
                    var cb = (rb - centre).AsInt16();
                    var ea = (da - centre).AsInt16();
                    var eb = (db - centre).AsInt16();
                    var r = ra.AsInt16();
                    var rr = rb.AsInt16();
                    var d = da.AsInt16();
                    var dd = db.AsInt16();
                    m1L += Avx512BW.MultiplyAddAdjacent(Avx512BW.UnpackLow(r, rr), f);
                    m1H += Avx512BW.MultiplyAddAdjacent(Avx512BW.UnpackHigh(r, rr), f);
                    m2L += Avx512BW.MultiplyAddAdjacent(Avx512BW.UnpackLow(d, dd), f);
                    m2H += Avx512BW.MultiplyAddAdjacent(Avx512BW.UnpackHigh(d, dd), f);
                    var sa = ca * ca;
                    var sb = cb * cb;
                    xxL += Avx512BW.MultiplyAddAdjacent(Avx512BW.UnpackLow(sa, sb), f);
                    xxH += Avx512BW.MultiplyAddAdjacent(Avx512BW.UnpackHigh(sa, sb), f);
                    sa = ea * ea;
                    sb = eb * eb;
                    yyL += Avx512BW.MultiplyAddAdjacent(Avx512BW.UnpackLow(sa, sb), f);
                    yyH += Avx512BW.MultiplyAddAdjacent(Avx512BW.UnpackHigh(sa, sb), f);
                    sa = ca * ea;
                    sb = cb * eb;
                    xyL += Avx512BW.MultiplyAddAdjacent(Avx512BW.UnpackLow(sa, sb), f);
                    xyH += Avx512BW.MultiplyAddAdjacent(Avx512BW.UnpackHigh(sa, sb), f);
                }
                var mu1L = m1L.AsUInt32();
                var mu1H = m1H.AsUInt32();
                var mu2L = m2L.AsUInt32();
                var mu2H = m2H.AsUInt32();
                Store(((mu1L + round) >> shiftMu).AsUInt64(), ((mu1H + round) >> shiftMu).AsUInt64(), first, second, ref mu1Out, j);
                Store(((mu2L + round) >> shiftMu).AsUInt64(), ((mu2H + round) >> shiftMu).AsUInt64(), first, second, ref mu2Out, j);
                Store((xxL.AsUInt32() + (mu1L << 8) - bias).AsUInt64(), (xxH.AsUInt32() + (mu1H << 8) - bias).AsUInt64(), first, second, ref xxOut, j);
                Store((yyL.AsUInt32() + (mu2L << 8) - bias).AsUInt64(), (yyH.AsUInt32() + (mu2H << 8) - bias).AsUInt64(), first, second, ref yyOut, j);
                Store((xyL.AsUInt32() + ((mu1L + mu2L) << 7) - bias).AsUInt64(), (xyH.AsUInt32() + ((mu1H + mu2H) << 7) - bias).AsUInt64(),
                    first, second, ref xyOut, j);
            }
        }
        {
            var centre = Vector256.Create((ushort)128);
            var bias = Vector256.Create(1u << 30);
            var round = Vector256.Create(roundMu);
            for (; j + 16 <= w; j += 16)
            {
                Vector256<int> m1L = default, m1H = default, m2L = default, m2H = default, xxL = default, xxH = default,
                    yyL = default, yyH = default, xyL = default, xyH = default;
                for (var m = 0; m < pairs.Length; m++)
                {
                    var k = 2 * m;
                    var k1 = k + 1 < rows.Length ? k + 1 : k;
                    var f = Vector256.Create(pairs[m]).AsInt16();
                    var ra = Vector256.LoadUnsafe(ref r0, (nuint)(rows[k] + j));
                    var rb = Vector256.LoadUnsafe(ref r0, (nuint)(rows[k1] + j));
                    var da = Vector256.LoadUnsafe(ref d0, (nuint)(rows[k] + j));
                    var db = Vector256.LoadUnsafe(ref d0, (nuint)(rows[k1] + j));
                    var ca = (ra - centre).AsInt16();
                    var cb = (rb - centre).AsInt16();
                    var ea = (da - centre).AsInt16();
                    var eb = (db - centre).AsInt16();
                    var r = ra.AsInt16();
                    var rr = rb.AsInt16();
                    var d = da.AsInt16();
                    var dd = db.AsInt16();
                    m1L = Dot(m1L, Avx2.UnpackLow(r, rr), f);
                    m1H = Dot(m1H, Avx2.UnpackHigh(r, rr), f);
                    m2L = Dot(m2L, Avx2.UnpackLow(d, dd), f);
                    m2H = Dot(m2H, Avx2.UnpackHigh(d, dd), f);
                    var sa = ca * ca;
                    var sb = cb * cb;
                    xxL = Dot(xxL, Avx2.UnpackLow(sa, sb), f);
                    xxH = Dot(xxH, Avx2.UnpackHigh(sa, sb), f);
                    sa = ea * ea;
                    sb = eb * eb;
                    yyL = Dot(yyL, Avx2.UnpackLow(sa, sb), f);
                    yyH = Dot(yyH, Avx2.UnpackHigh(sa, sb), f);
                    sa = ca * ea;
                    sb = cb * eb;
                    xyL = Dot(xyL, Avx2.UnpackLow(sa, sb), f);
                    xyH = Dot(xyH, Avx2.UnpackHigh(sa, sb), f);
                }
                var mu1L = m1L.AsUInt32();
                var mu1H = m1H.AsUInt32();
                var mu2L = m2L.AsUInt32();
                var mu2H = m2H.AsUInt32();
                Store((mu1L + round) >> shiftMu, (mu1H + round) >> shiftMu, ref mu1Out, j);
                Store((mu2L + round) >> shiftMu, (mu2H + round) >> shiftMu, ref mu2Out, j);
                Store(xxL.AsUInt32() + (mu1L << 8) - bias, xxH.AsUInt32() + (mu1H << 8) - bias, ref xxOut, j);
                Store(yyL.AsUInt32() + (mu2L << 8) - bias, yyH.AsUInt32() + (mu2H << 8) - bias, ref yyOut, j);
                Store(xyL.AsUInt32() + ((mu1L + mu2L) << 7) - bias, xyH.AsUInt32() + ((mu1H + mu2H) << 7) - bias, ref xyOut, j);
            }
        }
        return j;
    }

    /// <summary>Filter taps of the scale-0 subsample (the 9-tap filter) in pairs for vpmaddwd.</summary>
    private static readonly int[] SubsamplePairs = BuildPairs(Filters[1])!;

    /// <summary>
    /// The vertical low-pass of the scale-0 subsample for 8-bit samples, rows in pairs through vpmaddwd like
    /// VerticalMoments8Bit; pixels [0, returned) of the row done.
    /// </summary>
    private int SubsampleVertical8Bit(ReadOnlySpan<ushort> reference, ReadOnlySpan<ushort> distorted, int w, ReadOnlySpan<int> rows, uint round, int shift)
    {
        ref var r0 = ref MemoryMarshal.GetReference(reference);
        ref var d0 = ref MemoryMarshal.GetReference(distorted);
        ref var refOut = ref _convRef[Pad];
        ref var disOut = ref _convDis[Pad];
        var pairs = SubsamplePairs;
        var j = 0;
        if (_wide && Vector512.IsHardwareAccelerated)
        {
            var vRound = Vector512.Create(round);
            var first = Vector512.Create(0ul, 1, 8, 9, 2, 3, 10, 11);
            var second = Vector512.Create(4ul, 5, 12, 13, 6, 7, 14, 15);
            for (; j + 32 <= w; j += 32)
            {
                Vector512<int> rL = default, rH = default, dL = default, dH = default;
                for (var m = 0; m < pairs.Length; m++)
                {
                    var k = 2 * m;
                    var k1 = k + 1 < rows.Length ? k + 1 : k;
                    var f = Vector512.Create(pairs[m]).AsInt16();
                    var ra = Vector512.LoadUnsafe(ref r0, (nuint)(rows[k] + j)).AsInt16();
                    var rb = Vector512.LoadUnsafe(ref r0, (nuint)(rows[k1] + j)).AsInt16();
                    var da = Vector512.LoadUnsafe(ref d0, (nuint)(rows[k] + j)).AsInt16();
                    var db = Vector512.LoadUnsafe(ref d0, (nuint)(rows[k1] + j)).AsInt16();
                    rL += Avx512BW.MultiplyAddAdjacent(Avx512BW.UnpackLow(ra, rb), f);
                    rH += Avx512BW.MultiplyAddAdjacent(Avx512BW.UnpackHigh(ra, rb), f);
                    dL += Avx512BW.MultiplyAddAdjacent(Avx512BW.UnpackLow(da, db), f);
                    dH += Avx512BW.MultiplyAddAdjacent(Avx512BW.UnpackHigh(da, db), f);
                }
                Store(((rL.AsUInt32() + vRound) >> shift).AsUInt64(), ((rH.AsUInt32() + vRound) >> shift).AsUInt64(), first, second, ref refOut, j);
                Store(((dL.AsUInt32() + vRound) >> shift).AsUInt64(), ((dH.AsUInt32() + vRound) >> shift).AsUInt64(), first, second, ref disOut, j);
            }
        }
        {
            var vRound = Vector256.Create(round);
            for (; j + 16 <= w; j += 16)
            {
                Vector256<int> rL = default, rH = default, dL = default, dH = default;
                for (var m = 0; m < pairs.Length; m++)
                {
                    var k = 2 * m;
                    var k1 = k + 1 < rows.Length ? k + 1 : k;
                    var f = Vector256.Create(pairs[m]).AsInt16();
                    var ra = Vector256.LoadUnsafe(ref r0, (nuint)(rows[k] + j)).AsInt16();
                    var rb = Vector256.LoadUnsafe(ref r0, (nuint)(rows[k1] + j)).AsInt16();
                    var da = Vector256.LoadUnsafe(ref d0, (nuint)(rows[k] + j)).AsInt16();
                    var db = Vector256.LoadUnsafe(ref d0, (nuint)(rows[k1] + j)).AsInt16();
                    rL = Dot(rL, Avx2.UnpackLow(ra, rb), f);
                    rH = Dot(rH, Avx2.UnpackHigh(ra, rb), f);
                    dL = Dot(dL, Avx2.UnpackLow(da, db), f);
                    dH = Dot(dH, Avx2.UnpackHigh(da, db), f);
                }
                Store((rL.AsUInt32() + vRound) >> shift, (rH.AsUInt32() + vRound) >> shift, ref refOut, j);
                Store((dL.AsUInt32() + vRound) >> shift, (dH.AsUInt32() + vRound) >> shift, ref disOut, j);
            }
        }
        return j;
    }

    /// <summary>Stores 32 sums in pixel order: low holds pixels 0-3, 8-11, 16-19, 24-27 and high the others.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector512<ulong> low, Vector512<ulong> high, Vector512<ulong> first, Vector512<ulong> second, ref uint row, int at)
    {
        Avx512F.PermuteVar8x64x2(low, first, high).AsUInt32().StoreUnsafe(ref row, (nuint)at);
        Avx512F.PermuteVar8x64x2(low, second, high).AsUInt32().StoreUnsafe(ref row, (nuint)(at + 16));
    }

    /// <summary>Stores 16 sums in pixel order: low holds pixels 0-3, 8-11 and high 4-7, 12-15.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector256<uint> low, Vector256<uint> high, ref uint row, int at)
    {
        Avx2.Permute2x128(low, high, 0x20).StoreUnsafe(ref row, (nuint)at);
        Avx2.Permute2x128(low, high, 0x31).StoreUnsafe(ref row, (nuint)(at + 8));
    }
}
