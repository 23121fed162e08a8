using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Aqs.Shared.Quality.Vmaf;

// The horizontal pass and the per-pixel statistic of one row, fused, bit-exact to HorizontalScores + Accumulate:
// - Moments are filtered as high and low 16-bit halves: with filter taps summing to 2^16,
//   (sum f*x + 2^15) >> 16 = sum f*hi + ((sum f*lo + 2^15) >> 16) exactly, and neither sum overflows 32 bits.
//   Where every tap fits 15 bits (scales 0..2) the halves are centred to signed 16 bits and filtered with
//   vpmaddwd, two taps per instruction, even and odd outputs from the same loads (32 or 16 pixels per step);
//   otherwise (scale 3) in 32-bit lanes, mirrored taps added before the multiply (8 pixels per step).
// - The double arithmetic of the log branch runs with the same operations in the same order as the scalar code
//   (IEEE results are identical); truncation to integer uses vroundpd/vcvttpd2dq.
// - log2 of a value needs its 16 leading bits and bit length: a double holding an integer exactly has them in its
//   exponent and mantissa; a 32-bit x has the bit length of (float)(x >> 8) (exact below 2^24) plus 8.
internal sealed partial class IntegerVif
{
    private unsafe void ScoreRowAvx2(int w, ushort[] filter, ref VifSums sums)
    {
        var acc = new RowAccumulators();
        var pairs = FilterPairs[Array.IndexOf(Filters, filter)];
        var j = 0;
        if (pairs != null)
        {
            var n = pairs.Length / 2;
            PackMoments(w);
            fixed (short* mu1 = _pMu1, mu2 = _pMu2, xxH = _pXxHi, xxL = _pXxLo, yyH = _pYyHi, yyL = _pYyLo, xyH = _pXyHi, xyL = _pXyLo)
            fixed (int* pair = pairs)
            fixed (ushort* log2 = FixedPointTables.Log2Pinned)
            {
                // Output pixel p reads the packed rows at p + Pad - half .. p + Pad + half; Pad - half >= 0.
                var o = Pad - filter.Length / 2;
                if (Vector512.IsHardwareAccelerated && _wide)
                {
                    for (; j + 32 <= w; j += 32)
                    {
                        var e = o + j;
                        Vector512<int> m1E = default, m1O = default, m2E = default, m2O = default, xxHE = default, xxHO = default,
                            xxLE = default, xxLO = default, yyHE = default, yyHO = default, yyLE = default, yyLO = default,
                            xyHE = default, xyHO = default, xyLE = default, xyLO = default;
                        for (var m = 0; m < n; m++)
                        {
                            var fe = Vector512.Create(pair[m]).AsInt16();
                            var fo = Vector512.Create(pair[n + m]).AsInt16();
                            var a = e + 2 * m;
                            Vector512<short> v;
                            v = Vector512.Load(mu1 + a);
                            m1E += Avx512BW.MultiplyAddAdjacent(v, fe);
                            m1O += Avx512BW.MultiplyAddAdjacent(v, fo);
                            v = Vector512.Load(mu2 + a);
                            m2E += Avx512BW.MultiplyAddAdjacent(v, fe);
                            m2O += Avx512BW.MultiplyAddAdjacent(v, fo);
                            v = Vector512.Load(xxH + a);
                            xxHE += Avx512BW.MultiplyAddAdjacent(v, fe);
                            xxHO += Avx512BW.MultiplyAddAdjacent(v, fo);
                            v = Vector512.Load(xxL + a);
                            xxLE += Avx512BW.MultiplyAddAdjacent(v, fe);
                            xxLO += Avx512BW.MultiplyAddAdjacent(v, fo);
                            v = Vector512.Load(yyH + a);
                            yyHE += Avx512BW.MultiplyAddAdjacent(v, fe);
                            yyHO += Avx512BW.MultiplyAddAdjacent(v, fo);
                            v = Vector512.Load(yyL + a);
                            yyLE += Avx512BW.MultiplyAddAdjacent(v, fe);
                            yyLO += Avx512BW.MultiplyAddAdjacent(v, fo);
                            v = Vector512.Load(xyH + a);
                            xyHE += Avx512BW.MultiplyAddAdjacent(v, fe);
                            xyHO += Avx512BW.MultiplyAddAdjacent(v, fo);
                            v = Vector512.Load(xyL + a);
                            xyLE += Avx512BW.MultiplyAddAdjacent(v, fe);
                            xyLO += Avx512BW.MultiplyAddAdjacent(v, fo);
                        }
                        Accumulate16(m1E, m2E, xxHE, xxLE, yyHE, yyLE, xyHE, xyLE, (int*)log2, ref acc);
                        Accumulate16(m1O, m2O, xxHO, xxLO, yyHO, yyLO, xyHO, xyLO, (int*)log2, ref acc);
                    }
                }
                for (; j + 16 <= w; j += 16)
                {
                    var e = o + j;
                    Vector256<int> m1E = default, m1O = default, m2E = default, m2O = default, xxHE = default, xxHO = default,
                        xxLE = default, xxLO = default, yyHE = default, yyHO = default, yyLE = default, yyLO = default,
                        xyHE = default, xyHO = default, xyLE = default, xyLO = default;
                    for (var m = 0; m < n; m++)
                    {
                        var fe = Vector256.Create(pair[m]).AsInt16();
                        var fo = Vector256.Create(pair[n + m]).AsInt16();
                        var a = e + 2 * m;
                        Vector256<short> v;
                        v = Avx.LoadVector256(mu1 + a);
                        m1E = Dot(m1E, v, fe);
                        m1O = Dot(m1O, v, fo);
                        v = Avx.LoadVector256(mu2 + a);
                        m2E = Dot(m2E, v, fe);
                        m2O = Dot(m2O, v, fo);
                        v = Avx.LoadVector256(xxH + a);
                        xxHE = Dot(xxHE, v, fe);
                        xxHO = Dot(xxHO, v, fo);
                        v = Avx.LoadVector256(xxL + a);
                        xxLE = Dot(xxLE, v, fe);
                        xxLO = Dot(xxLO, v, fo);
                        v = Avx.LoadVector256(yyH + a);
                        yyHE = Dot(yyHE, v, fe);
                        yyHO = Dot(yyHO, v, fo);
                        v = Avx.LoadVector256(yyL + a);
                        yyLE = Dot(yyLE, v, fe);
                        yyLO = Dot(yyLO, v, fo);
                        v = Avx.LoadVector256(xyH + a);
                        xyHE = Dot(xyHE, v, fe);
                        xyHO = Dot(xyHO, v, fo);
                        v = Avx.LoadVector256(xyL + a);
                        xyLE = Dot(xyLE, v, fe);
                        xyLO = Dot(xyLO, v, fo);
                    }
                    Accumulate8(m1E, m2E, xxHE, xxLE, yyHE, yyLE, xyHE, xyLE, (int*)log2, ref acc);
                    Accumulate8(m1O, m2O, xxHO, xxLO, yyHO, yyLO, xyHO, xyLO, (int*)log2, ref acc);
                }
            }
        }
        else
        {
            SplitMoments();
            j = ScoreRowHalvesAvx2(w, filter, ref acc);
        }
        sums.NumLog += Sum(acc.NumLog);
        sums.DenLog += Sum(acc.DenLog);
        sums.NumNonLog += acc.NumNonLog[0] + acc.NumNonLog[1] + acc.NumNonLog[2] + acc.NumNonLog[3];
        for (var i = 0; i < Vector512<long>.Count; i++)
        {
            sums.NumNonLog += acc.NumNonLogWide[i];
        }
        sums.DenNonLog += acc.DenNonLog;
        if (j < w)
        {
            HorizontalScores(j, w, filter, ref sums);
        }
    }

    /// <summary>
    /// The filtered sums of 16 pixels from their centred sums (each sum f * (x - 2^15) over taps summing to 2^16 is
    /// the wanted sum f * x minus 2^31, so adding 2^31 modulo 2^32 restores it), then Accumulate on both halves.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Accumulate16(Vector512<int> mu1, Vector512<int> mu2, Vector512<int> xxH, Vector512<int> xxL,
        Vector512<int> yyH, Vector512<int> yyL, Vector512<int> xyH, Vector512<int> xyL, int* log2, ref RowAccumulators acc)
    {
        var bias = Vector512.Create(int.MinValue).AsUInt32();
        var biasRound = Vector512.Create(0x80008000u);
        var m1 = mu1.AsUInt32() + bias;
        var m2 = mu2.AsUInt32() + bias;
        var xx = xxH.AsUInt32() + bias + ((xxL.AsUInt32() + biasRound) >> 16);
        var yy = yyH.AsUInt32() + bias + ((yyL.AsUInt32() + biasRound) >> 16);
        var xy = xyH.AsUInt32() + bias + ((xyL.AsUInt32() + biasRound) >> 16);
        // The branch-free part on all 16 lanes, the log branch per half (as AccumulateAvx2).
        var sigma1Sq = (xx - MulHigh32(m1, m1)).AsInt32();
        var sigma2Sq = Avx512F.Max((yy - MulHigh32(m2, m2)).AsInt32(), Vector512<int>.Zero);
        var sigma12 = (xy - MulHigh32(m1, m2)).AsInt32();
        var isLog = Avx512F.CompareGreaterThan(sigma1Sq, Vector512.Create(SigmaNsq - 1));
        var logBits = (uint)isLog.ExtractMostSignificantBits();
        var nonLog = Avx512F.AndNot(isLog, sigma2Sq);
        acc.NumNonLogWide += Avx512F.ConvertToVector512Int64(nonLog.GetLower()) + Avx512F.ConvertToVector512Int64(nonLog.GetUpper());
        acc.DenNonLog += 16 - BitOperations.PopCount(logBits);
        if ((logBits & 0xFF) != 0)
        {
            LogTermsAvx512(sigma1Sq.GetLower(), sigma2Sq.GetLower(), sigma12.GetLower(), isLog.GetLower(), log2, ref acc);
        }
        if ((logBits >> 8) != 0)
        {
            LogTermsAvx512(sigma1Sq.GetUpper(), sigma2Sq.GetUpper(), sigma12.GetUpper(), isLog.GetUpper(), log2, ref acc);
        }
    }

    /// <summary>(a * b + 2^31) >> 32 per 32-bit lane, 16 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> MulHigh32(Vector512<uint> a, Vector512<uint> b)
    {
        var round = Vector512.Create(2147483648ul);
        var even = Avx512F.Multiply(a, b) + round;
        var odd = Avx512F.Multiply((a.AsUInt64() >> 32).AsUInt32(), (b.AsUInt64() >> 32).AsUInt32()) + round;
        return ((even >> 32) | (odd & Vector512.Create(0xFFFFFFFF00000000ul))).AsUInt32();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Accumulate8(Vector256<int> mu1, Vector256<int> mu2, Vector256<int> xxH, Vector256<int> xxL,
        Vector256<int> yyH, Vector256<int> yyL, Vector256<int> xyH, Vector256<int> xyL, int* log2, ref RowAccumulators acc)
    {
        var bias = Vector256.Create(int.MinValue).AsUInt32();
        var biasRound = Vector256.Create(0x80008000u);
        var m1 = mu1.AsUInt32() + bias;
        var m2 = mu2.AsUInt32() + bias;
        var xx = xxH.AsUInt32() + bias + ((xxL.AsUInt32() + biasRound) >> 16);
        var yy = yyH.AsUInt32() + bias + ((yyL.AsUInt32() + biasRound) >> 16);
        var xy = xyH.AsUInt32() + bias + ((xyL.AsUInt32() + biasRound) >> 16);
        AccumulateAvx2(m1, m2, xx, yy, xy, log2, ref acc);
    }

    /// <summary>
    /// The moment rows as signed 16-bit values centred on 2^15 (x - 2^15), means whole and the three products as
    /// high and low halves, for vpmaddwd; the whole padded width.
    /// </summary>
    private void PackMoments(int w)
    {
        var n = w + 2 * Pad;
        var wide = _wide && Vector512.IsHardwareAccelerated;
        PackHalves(_mu1, null, _pMu1, n, wide);
        PackHalves(_mu2, null, _pMu2, n, wide);
        PackHalves(_xx, _pXxHi, _pXxLo, n, wide);
        PackHalves(_yy, _pYyHi, _pYyLo, n, wide);
        PackHalves(_xy, _pXyHi, _pXyLo, n, wide);
    }

    /// <summary>low[i] = (x &amp; 0xFFFF) - 2^15 and, when high is given, high[i] = (x >> 16) - 2^15, for i &lt; n
    /// (rounded up to 32 with AVX-512, else to 16).</summary>
    private static void PackHalves(uint[] source, short[]? high, short[] low, int n, bool wide)
    {
        ref var s = ref source[0];
        var i = 0;
        if (wide)
        {
            // vpermt2w picks the low (even) or high (odd) 16-bit halves of 32 values.
            var flip = Vector512.Create((ushort)0x8000);
            var even = Vector512.CreateSequence((ushort)0, (ushort)2);
            var odd = Vector512.CreateSequence((ushort)1, (ushort)2);
            for (; i < n; i += 32)
            {
                var a = Vector512.LoadUnsafe(ref s, (nuint)i).AsUInt16();
                var b = Vector512.LoadUnsafe(ref s, (nuint)(i + 16)).AsUInt16();
                (Avx512BW.PermuteVar32x16x2(a, even, b) ^ flip).AsInt16().StoreUnsafe(ref low[0], (nuint)i);
                if (high != null)
                {
                    (Avx512BW.PermuteVar32x16x2(a, odd, b) ^ flip).AsInt16().StoreUnsafe(ref high[0], (nuint)i);
                }
            }
            return;
        }
        var flip16 = Vector256.Create((ushort)0x8000);
        for (; i < n; i += 16)
        {
            var a = Vector256.LoadUnsafe(ref s, (nuint)i);
            var b = Vector256.LoadUnsafe(ref s, (nuint)(i + 8));
            (Vector256.Narrow(a, b) ^ flip16).AsInt16().StoreUnsafe(ref low[0], (nuint)i);
            if (high != null)
            {
                (Vector256.Narrow(a >> 16, b >> 16) ^ flip16).AsInt16().StoreUnsafe(ref high[0], (nuint)i);
            }
        }
    }

    /// <summary>
    /// Filter taps in pairs for vpmaddwd: first (f[2m], f[2m + 1]) for the even outputs, then (f[2m - 1], f[2m]) for
    /// the odd ones, which so read the same 16-bit pairs one tap later (taps outside the filter are 0). Null where a
    /// tap does not fit a signed 16-bit lane (the 3-tap filter of scale 3).
    /// </summary>
    private static readonly int[]?[] FilterPairs = Filters.Select(BuildEvenOddPairs).ToArray();

    private static int[]? BuildEvenOddPairs(ushort[] filter)
    {
        var even = BuildPairs(filter);
        if (even == null)
        {
            return null;
        }
        var n = even.Length;
        var pairs = new int[2 * n];
        even.CopyTo(pairs, 0);
        for (var m = 0; m < n; m++)
        {
            var lo = m > 0 ? filter[2 * m - 1] : 0;
            pairs[n + m] = lo | (filter[2 * m] << 16);
        }
        return pairs;
    }

    private static int[]? BuildPairs(ushort[] filter)
    {
        if (filter.Any(t => t > short.MaxValue))
        {
            return null;
        }
        var pairs = new int[(filter.Length + 1) / 2];
        for (var m = 0; m < pairs.Length; m++)
        {
            var hi = 2 * m + 1 < filter.Length ? filter[2 * m + 1] : 0;
            pairs[m] = filter[2 * m] | (hi << 16);
        }
        return pairs;
    }

    /// <summary>The horizontal pass on 32-bit lanes with the moments split into halves (filters with a tap of 2^15
    /// or more); returns the first pixel it left for the scalar code.</summary>
    private unsafe int ScoreRowHalvesAvx2(int w, ushort[] filter, ref RowAccumulators acc)
    {
        var half = filter.Length / 2;
        var round = Vector256.Create(32768u);
        var fc = Vector256.Create((uint)filter[half]);
        fixed (uint* mu1 = _mu1, mu2 = _mu2, xxH = _xxHi, xxL = _xxLo, yyH = _yyHi, yyL = _yyLo, xyH = _xyHi, xyL = _xyLo)
        fixed (ushort* taps = filter)
        fixed (ushort* log2 = FixedPointTables.Log2Pinned)
        {
            var j = 0;
            for (; j + 8 <= w; j += 8)
            {
                var c = Pad + j;
                var aMu1 = fc * Avx.LoadVector256(mu1 + c);
                var aMu2 = fc * Avx.LoadVector256(mu2 + c);
                var aXxH = fc * Avx.LoadVector256(xxH + c);
                var aXxL = fc * Avx.LoadVector256(xxL + c);
                var aYyH = fc * Avx.LoadVector256(yyH + c);
                var aYyL = fc * Avx.LoadVector256(yyL + c);
                var aXyH = fc * Avx.LoadVector256(xyH + c);
                var aXyL = fc * Avx.LoadVector256(xyL + c);
                for (var k = 1; k <= half; k++)
                {
                    var f = Vector256.Create((uint)taps[half - k]);
                    int a = c - k, b = c + k;
                    aMu1 += f * (Avx.LoadVector256(mu1 + a) + Avx.LoadVector256(mu1 + b));
                    aMu2 += f * (Avx.LoadVector256(mu2 + a) + Avx.LoadVector256(mu2 + b));
                    aXxH += f * (Avx.LoadVector256(xxH + a) + Avx.LoadVector256(xxH + b));
                    aXxL += f * (Avx.LoadVector256(xxL + a) + Avx.LoadVector256(xxL + b));
                    aYyH += f * (Avx.LoadVector256(yyH + a) + Avx.LoadVector256(yyH + b));
                    aYyL += f * (Avx.LoadVector256(yyL + a) + Avx.LoadVector256(yyL + b));
                    aXyH += f * (Avx.LoadVector256(xyH + a) + Avx.LoadVector256(xyH + b));
                    aXyL += f * (Avx.LoadVector256(xyL + a) + Avx.LoadVector256(xyL + b));
                }
                var xxFilt = aXxH + ((aXxL + round) >> 16);
                var yyFilt = aYyH + ((aYyL + round) >> 16);
                var xyFilt = aXyH + ((aXyL + round) >> 16);
                AccumulateAvx2(aMu1, aMu2, xxFilt, yyFilt, xyFilt, (int*)log2, ref acc);
            }
            return j;
        }
    }

    /// <summary>Splits the padded moment rows into high and low 16 bits (the whole padded width).</summary>
    private void SplitMoments()
    {
        SplitHalves(_xx, _xxHi, _xxLo);
        SplitHalves(_yy, _yyHi, _yyLo);
        SplitHalves(_xy, _xyHi, _xyLo);
    }

    private static void SplitHalves(uint[] source, uint[] high, uint[] low)
    {
        var mask = Vector256.Create(0xFFFFu);
        var i = 0;
        for (; i + 8 <= source.Length; i += 8)
        {
            var v = Vector256.LoadUnsafe(ref source[0], (nuint)i);
            (v >> 16).StoreUnsafe(ref high[0], (nuint)i);
            (v & mask).StoreUnsafe(ref low[0], (nuint)i);
        }
        for (; i < source.Length; i++)
        {
            high[i] = source[i] >> 16;
            low[i] = source[i] & 0xFFFF;
        }
    }

    /// <summary>acc + vpmaddwd(v, f), in one vpdpwssd where the CPU has AVX-VNNI (same wrapping sum).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Dot(Vector256<int> acc, Vector256<short> v, Vector256<short> f) =>
        AvxVnni.IsSupported ? AvxVnni.MultiplyWideningAndAdd(acc, v, f) : acc + Avx2.MultiplyAddAdjacent(v, f);

    /// <summary>Per-lane sums of one row; the log terms of a row fit 32 bits per lane, the non-log sigma2 do not.</summary>
    private struct RowAccumulators
    {
        public Vector256<int> NumLog;
        public Vector256<int> DenLog;
        public Vector256<long> NumNonLog;
        public Vector512<long> NumNonLogWide;
        public long DenNonLog;
    }

    /// <summary>Accumulate for 8 pixels (see the scalar twin for the formulas); <paramref name="wide"/>: the log
    /// branch with AVX-512 (8 doubles in one vector, lzcnt for bit lengths, one vector for the log2 of numer1 and of
    /// sigma1_sq + sigma_nsq).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void AccumulateAvx2(Vector256<uint> mu1, Vector256<uint> mu2, Vector256<uint> xxFilt,
        Vector256<uint> yyFilt, Vector256<uint> xyFilt, int* log2, ref RowAccumulators acc, bool wide = false)
    {
        var sigma1Sq = (xxFilt - MulHigh32(mu1, mu1)).AsInt32();
        var sigma2Sq = Avx2.Max((yyFilt - MulHigh32(mu2, mu2)).AsInt32(), Vector256<int>.Zero);
        var sigma12 = (xyFilt - MulHigh32(mu1, mu2)).AsInt32();
        var isLog = Avx2.CompareGreaterThan(sigma1Sq, Vector256.Create(SigmaNsq - 1));
        var logBits = (uint)Avx.MoveMask(isLog.AsSingle());

        var nonLog = Avx2.AndNot(isLog, sigma2Sq);
        acc.NumNonLog += Avx2.ConvertToVector256Int64(nonLog.GetLower()) + Avx2.ConvertToVector256Int64(nonLog.GetUpper());
        acc.DenNonLog += 8 - BitOperations.PopCount(logBits);
        if (logBits == 0)
        {
            return;
        }
        if (wide)
        {
            LogTermsAvx512(sigma1Sq, sigma2Sq, sigma12, isLog, log2, ref acc);
            return;
        }
        var denLog = Log2Of32(sigma1Sq + Vector256.Create(SigmaNsq), log2) - Vector256.Create(2048 * 17);
        acc.DenLog += denLog & isLog;

        var isNum = isLog & Avx2.CompareGreaterThan(sigma12, Vector256<int>.Zero) & Avx2.CompareGreaterThan(sigma2Sq, Vector256<int>.Zero);
        var (svLo, tmpLo) = NumeratorTerms(sigma1Sq.GetLower(), sigma2Sq.GetLower(), sigma12.GetLower());
        var (svHi, tmpHi) = NumeratorTerms(sigma1Sq.GetUpper(), sigma2Sq.GetUpper(), sigma12.GetUpper());
        var numer1 = Vector256.Create(svLo, svHi) + Vector256.Create(SigmaNsq);
        var numLog = Log2OfDoubles(tmpLo, tmpHi, log2) - Log2Of32(numer1, log2);
        acc.NumLog += numLog & isNum;
    }

    /// <summary>The log branch of AccumulateAvx2 for 8 pixels with AVX-512 (same operations, same order).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void LogTermsAvx512(Vector256<int> sigma1Sq, Vector256<int> sigma2Sq, Vector256<int> sigma12,
        Vector256<int> isLog, int* log2, ref RowAccumulators acc)
    {
        var s1 = Avx512F.ConvertToVector512Double(sigma1Sq);
        var s12 = Avx512F.ConvertToVector512Double(sigma12);
        var g = s12 / (s1 + Vector512.Create(Eps));
        var svSq = Avx512F.ConvertToVector256Int32WithTruncation(Avx512F.ConvertToVector512Double(sigma2Sq) - g * s12);
        svSq = Avx2.Max(svSq, Vector256<int>.Zero);
        g = Avx512F.Min(g, Vector512.Create(GainLimit));
        var numer1 = svSq + Vector256.Create(SigmaNsq);
        var tmp = Vector512.Truncate(g * g * s1) + Avx512F.ConvertToVector512Double(numer1);
        // log2 of tmp (at least 2^17, exact): exponent and the 15 mantissa bits below the leading one.
        var v = Avx512F.ConvertToVector256Int32((tmp.AsUInt64() >> 37).AsInt64());
        var tmpIndex = (v & Vector256.Create(0x7FFF)) | Vector256.Create(0x8000);
        var tmpK = (v >> 15) - Vector256.Create(1023 + 15);
        // log2 of the 32-bit values numer1 and sigma1_sq + sigma_nsq: k = 16 - lzcnt; lanes below 2^16 (unused)
        // get a negative k, shift by more than 31 and read entry 0.
        var x = Vector512.Create(numer1, sigma1Sq + Vector256.Create(SigmaNsq)).AsUInt32();
        var k = Vector512.Create(16u) - Avx512CD.LeadingZeroCount(x);
        var index = Avx512F.ShiftRightLogicalVariable(x, k).AsInt32();
        var logs = (Vector512.Create(Avx2.GatherVector256(log2, index.GetLower(), 2), Avx2.GatherVector256(log2, index.GetUpper(), 2))
            & Vector512.Create(0xFFFF)) + (k.AsInt32() << 11);
        var numLog = (Avx2.GatherVector256(log2, tmpIndex, 2) & Vector256.Create(0xFFFF)) + (tmpK << 11) - logs.GetLower();
        var denLog = logs.GetUpper() - Vector256.Create(2048 * 17);
        acc.DenLog += denLog & isLog;
        var isNum = isLog & Avx2.CompareGreaterThan(sigma12, Vector256<int>.Zero) & Avx2.CompareGreaterThan(sigma2Sq, Vector256<int>.Zero);
        acc.NumLog += numLog & isNum;
    }

    /// <summary>sv_sq (clamped at 0) and numer1_tmp - numer1 + numer1 as an exact double, for 4 pixels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<int> SvSq, Vector256<double> Numer1Tmp) NumeratorTerms(Vector128<int> sigma1Sq, Vector128<int> sigma2Sq, Vector128<int> sigma12)
    {
        var s1 = Avx.ConvertToVector256Double(sigma1Sq);
        var s12 = Avx.ConvertToVector256Double(sigma12);
        var g = s12 / (s1 + Vector256.Create(Eps));
        var svSq = Avx.ConvertToVector128Int32WithTruncation(Avx.ConvertToVector256Double(sigma2Sq) - g * s12);
        svSq = Sse41.Max(svSq, Vector128<int>.Zero);
        g = Avx.Min(g, Vector256.Create(GainLimit));
        // (long)(g * g * sigma1_sq) + numer1: both integers below 2^53, so the double sum is exact.
        var numer1 = Avx.ConvertToVector256Double(svSq) + Vector256.Create((double)SigmaNsq);
        return (svSq, Avx.RoundToZero(g * g * s1) + numer1);
    }

    /// <summary>(a * b + 2^31) >> 32 per 32-bit lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> MulHigh32(Vector256<uint> a, Vector256<uint> b)
    {
        var round = Vector256.Create(2147483648ul);
        var even = Avx2.Multiply(a, b) + round;
        var odd = Avx2.Multiply(Odd(a), Odd(b)) + round;
        return ((even >> 32) | (odd & Vector256.Create(0xFFFFFFFF00000000ul))).AsUInt32();
    }

    /// <summary>FixedPointTables.Log2Of32 per lane (x >= 2^17 where the result is used; other lanes stay in the table).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<int> Log2Of32(Vector256<int> x, int* log2)
    {
        var asFloat = Avx.ConvertToVector256Single((x.AsUInt32() >> 8).AsInt32());
        var k = (asFloat.AsInt32() >> 23) - Vector256.Create(127 - 8 + 15);
        // A negative k (x below 2^15, unused lanes) shifts by more than 31 and reads entry 0.
        var index = Avx2.ShiftRightLogicalVariable(x.AsUInt32(), k.AsUInt32()).AsInt32();
        return Lookup(index, log2) + (k << 11);
    }

    /// <summary>FixedPointTables.Log2Of64 of 8 integers held exactly in two double vectors (each at least 2^17).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<int> Log2OfDoubles(Vector256<double> lo, Vector256<double> hi, int* log2)
    {
        // bits >> 37 = exponent (11 bits) then the 15 mantissa bits below the leading one; below 2^26, so the
        // low 32 bits of each 64-bit lane hold it.
        var pick = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
        var vLo = Avx2.PermuteVar8x32((lo.AsUInt64() >> 37).AsInt32(), pick).GetLower();
        var vHi = Avx2.PermuteVar8x32((hi.AsUInt64() >> 37).AsInt32(), pick).GetLower();
        var v = Vector256.Create(vLo, vHi);
        var index = (v & Vector256.Create(0x7FFF)) | Vector256.Create(0x8000);
        var k = (v >> 15) - Vector256.Create(1023 + 15);
        return Lookup(index, log2) + (k << 11);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<int> Lookup(Vector256<int> index, int* log2) =>
        Avx2.GatherVector256(log2, index, 2) & Vector256.Create(0xFFFF);

    private static long Sum(Vector256<int> v)
    {
        long total = 0;
        for (var i = 0; i < Vector256<int>.Count; i++)
        {
            total += v[i];
        }
        return total;
    }
}
