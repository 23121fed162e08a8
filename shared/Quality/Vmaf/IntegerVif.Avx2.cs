using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Aqs.Shared.Quality.Vmaf;

// AVX2 twins of the scalar passes, bit-exact: the same integer arithmetic, 8 pixels per step. Products that need
// 64 bits use vpmuludq on even and odd 32-bit lanes. Remainders run the scalar code.
internal sealed partial class IntegerVif
{
    private void VerticalMomentsAvx2(ReadOnlySpan<ushort> reference, ReadOnlySpan<ushort> distorted, int w, ReadOnlySpan<int> rows,
        ushort[] filter, uint roundMu, int shiftMu, ulong roundSq, int shiftSq)
    {
        ref var r0 = ref MemoryMarshal.GetReference(reference);
        ref var d0 = ref MemoryMarshal.GetReference(distorted);
        ref var mu1Out = ref _mu1[Pad];
        ref var mu2Out = ref _mu2[Pad];
        ref var xxOut = ref _xx[Pad];
        ref var yyOut = ref _yy[Pad];
        ref var xyOut = ref _xy[Pad];
        var vRoundMu = Vector256.Create(roundMu);
        var vRoundSq = Vector256.Create(roundSq);
        // 8-bit samples at scale 0: every moment fits 32 bits (65536 * 255^2 < 2^32) and libvmaf does not shift them.
        var narrow = shiftSq == 0;
        var j = narrow && _bitDepth == 8 ? VerticalMoments8Bit(reference, distorted, w, rows, roundMu, shiftMu) : 0;
        if (narrow && _wide && Vector512.IsHardwareAccelerated)
        {
            var vRoundMu16 = Vector512.Create(roundMu);
            for (; j + 16 <= w; j += 16)
            {
                Vector512<uint> mu1 = default, mu2 = default, xx = default, yy = default, xy = default;
                for (var k = 0; k < filter.Length; k++)
                {
                    var r = Avx512F.ConvertToVector512UInt32(Vector256.LoadUnsafe(ref r0, (nuint)(rows[k] + j)));
                    var d = Avx512F.ConvertToVector512UInt32(Vector256.LoadUnsafe(ref d0, (nuint)(rows[k] + j)));
                    var f = Vector512.Create((uint)filter[k]);
                    var fr = r * f;
                    var fd = d * f;
                    mu1 += fr;
                    mu2 += fd;
                    xx += fr * r;
                    yy += fd * d;
                    xy += fr * d;
                }
                ((mu1 + vRoundMu16) >> shiftMu).StoreUnsafe(ref mu1Out, (nuint)j);
                ((mu2 + vRoundMu16) >> shiftMu).StoreUnsafe(ref mu2Out, (nuint)j);
                xx.StoreUnsafe(ref xxOut, (nuint)j);
                yy.StoreUnsafe(ref yyOut, (nuint)j);
                xy.StoreUnsafe(ref xyOut, (nuint)j);
            }
        }
        if (!narrow && _wide && Vector512.IsHardwareAccelerated)
        {
            // Scales 1..3 and deeper samples: 64-bit moments, vpmuludq on even and odd lanes, 16 pixels per step.
            var round16 = Vector512.Create(roundMu);
            var roundSq16 = Vector512.Create(roundSq);
            for (; j + 16 <= w; j += 16)
            {
                Vector512<uint> mu1 = default, mu2 = default;
                Vector512<ulong> xxE = default, xxO = default, yyE = default, yyO = default, xyE = default, xyO = default;
                for (var k = 0; k < filter.Length; k++)
                {
                    var r = Avx512F.ConvertToVector512UInt32(Vector256.LoadUnsafe(ref r0, (nuint)(rows[k] + j)));
                    var d = Avx512F.ConvertToVector512UInt32(Vector256.LoadUnsafe(ref d0, (nuint)(rows[k] + j)));
                    var f = Vector512.Create((uint)filter[k]);
                    var fr = r * f;
                    var fd = d * f;
                    mu1 += fr;
                    mu2 += fd;
                    var rOdd = (r.AsUInt64() >> 32).AsUInt32();
                    var dOdd = (d.AsUInt64() >> 32).AsUInt32();
                    var frOdd = (fr.AsUInt64() >> 32).AsUInt32();
                    var fdOdd = (fd.AsUInt64() >> 32).AsUInt32();
                    xxE += Avx512F.Multiply(fr, r);
                    xxO += Avx512F.Multiply(frOdd, rOdd);
                    yyE += Avx512F.Multiply(fd, d);
                    yyO += Avx512F.Multiply(fdOdd, dOdd);
                    xyE += Avx512F.Multiply(fr, d);
                    xyO += Avx512F.Multiply(frOdd, dOdd);
                }
                ((mu1 + round16) >> shiftMu).StoreUnsafe(ref mu1Out, (nuint)j);
                ((mu2 + round16) >> shiftMu).StoreUnsafe(ref mu2Out, (nuint)j);
                Interleave(xxE, xxO, roundSq16, shiftSq).StoreUnsafe(ref xxOut, (nuint)j);
                Interleave(yyE, yyO, roundSq16, shiftSq).StoreUnsafe(ref yyOut, (nuint)j);
                Interleave(xyE, xyO, roundSq16, shiftSq).StoreUnsafe(ref xyOut, (nuint)j);
            }
        }
        for (; j + 8 <= w; j += 8)
        {
            Vector256<uint> mu1 = default, mu2 = default, xx = default, yy = default, xy = default;
            Vector256<ulong> xxE = default, xxO = default, yyE = default, yyO = default, xyE = default, xyO = default;
            for (var k = 0; k < filter.Length; k++)
            {
                var r = Avx2.ConvertToVector256Int32(Vector128.LoadUnsafe(ref r0, (nuint)(rows[k] + j))).AsUInt32();
                var d = Avx2.ConvertToVector256Int32(Vector128.LoadUnsafe(ref d0, (nuint)(rows[k] + j))).AsUInt32();
                var f = Vector256.Create((uint)filter[k]);
                var fr = r * f;
                var fd = d * f;
                mu1 += fr;
                mu2 += fd;
                if (narrow)
                {
                    xx += fr * r;
                    yy += fd * d;
                    xy += fr * d;
                }
                else
                {
                    var rOdd = Odd(r);
                    var dOdd = Odd(d);
                    var frOdd = Odd(fr);
                    var fdOdd = Odd(fd);
                    xxE += Avx2.Multiply(fr, r);
                    xxO += Avx2.Multiply(frOdd, rOdd);
                    yyE += Avx2.Multiply(fd, d);
                    yyO += Avx2.Multiply(fdOdd, dOdd);
                    xyE += Avx2.Multiply(fr, d);
                    xyO += Avx2.Multiply(frOdd, dOdd);
                }
            }
            ((mu1 + vRoundMu) >> shiftMu).StoreUnsafe(ref mu1Out, (nuint)j);
            ((mu2 + vRoundMu) >> shiftMu).StoreUnsafe(ref mu2Out, (nuint)j);
            if (narrow)
            {
                xx.StoreUnsafe(ref xxOut, (nuint)j);
                yy.StoreUnsafe(ref yyOut, (nuint)j);
                xy.StoreUnsafe(ref xyOut, (nuint)j);
            }
            else
            {
                Interleave(xxE, xxO, vRoundSq, shiftSq).StoreUnsafe(ref xxOut, (nuint)j);
                Interleave(yyE, yyO, vRoundSq, shiftSq).StoreUnsafe(ref yyOut, (nuint)j);
                Interleave(xyE, xyO, vRoundSq, shiftSq).StoreUnsafe(ref xyOut, (nuint)j);
            }
        }
        if (j < w)
        {
            VerticalMoments(reference, distorted, j, w, rows, filter, roundMu, shiftMu, roundSq, shiftSq);
        }
    }

    private void SubsampleVerticalAvx2(ReadOnlySpan<ushort> reference, ReadOnlySpan<ushort> distorted, int w, ReadOnlySpan<int> rows,
        ushort[] filter, uint round, int shift)
    {
        ref var r0 = ref MemoryMarshal.GetReference(reference);
        ref var d0 = ref MemoryMarshal.GetReference(distorted);
        var vRound = Vector256.Create(round);
        // 8-bit samples at scale 0 (the only scale whose shift is 8): rows in pairs through vpmaddwd.
        var j = shift == 8 && _bitDepth == 8 ? SubsampleVertical8Bit(reference, distorted, w, rows, round, shift) : 0;
        if (_wide && Vector512.IsHardwareAccelerated)
        {
            var vRound16 = Vector512.Create(round);
            for (; j + 16 <= w; j += 16)
            {
                Vector512<uint> accumRef = default, accumDis = default;
                for (var k = 0; k < filter.Length; k++)
                {
                    var f = Vector512.Create((uint)filter[k]);
                    accumRef += f * Avx512F.ConvertToVector512UInt32(Vector256.LoadUnsafe(ref r0, (nuint)(rows[k] + j)));
                    accumDis += f * Avx512F.ConvertToVector512UInt32(Vector256.LoadUnsafe(ref d0, (nuint)(rows[k] + j)));
                }
                ((accumRef + vRound16) >> shift).StoreUnsafe(ref _convRef[Pad], (nuint)j);
                ((accumDis + vRound16) >> shift).StoreUnsafe(ref _convDis[Pad], (nuint)j);
            }
        }
        for (; j + 8 <= w; j += 8)
        {
            Vector256<uint> accumRef = default, accumDis = default;
            for (var k = 0; k < filter.Length; k++)
            {
                var f = Vector256.Create((uint)filter[k]);
                accumRef += f * Avx2.ConvertToVector256Int32(Vector128.LoadUnsafe(ref r0, (nuint)(rows[k] + j))).AsUInt32();
                accumDis += f * Avx2.ConvertToVector256Int32(Vector128.LoadUnsafe(ref d0, (nuint)(rows[k] + j))).AsUInt32();
            }
            ((accumRef + vRound) >> shift).StoreUnsafe(ref _convRef[Pad], (nuint)j);
            ((accumDis + vRound) >> shift).StoreUnsafe(ref _convDis[Pad], (nuint)j);
        }
        for (; j < w; j++)
        {
            uint accumRef = 0, accumDis = 0;
            for (var k = 0; k < filter.Length; k++)
            {
                accumRef += filter[k] * (uint)reference[rows[k] + j];
                accumDis += filter[k] * (uint)distorted[rows[k] + j];
            }
            _convRef[Pad + j] = (ushort)((accumRef + round) >> shift);
            _convDis[Pad + j] = (ushort)((accumDis + round) >> shift);
        }
    }

    /// <summary>
    /// Horizontal low-pass of the padded rows at the even columns only, 8 outputs per step. The rows are first split
    /// into even and odd columns, so every tap of 8 consecutive outputs is one contiguous load; mirrored taps (same
    /// parity) are added before the multiply. Same u32 arithmetic as the scalar loop: sum f * x stays below 2^32.
    /// </summary>
    private void SubsampleHorizontalAvx2(int w, ushort[] filter, Span<ushort> refOut, Span<ushort> disOut)
    {
        var half = filter.Length / 2;
        Deinterleave(_convRef, _evenRef, _oddRef);
        Deinterleave(_convDis, _evenDis, _oddDis);
        ref var er = ref _evenRef[0];
        ref var or = ref _oddRef[0];
        ref var ed = ref _evenDis[0];
        ref var od = ref _oddDis[0];
        ref var outR = ref MemoryMarshal.GetReference(refOut);
        ref var outD = ref MemoryMarshal.GetReference(disOut);
        var vRound = Vector256.Create(32768u);
        var fc = Vector256.Create((uint)filter[half]);
        var w2 = refOut.Length;
        var j2 = 0;
        for (; j2 + 8 <= w2; j2 += 8)
        {
            // Column 2 * j2 + d sits at padded index 2 * j2 + d + Pad (Pad even): even d in the even array at
            // j2 + (d + Pad) / 2, odd d in the odd array at j2 + (d + Pad - 1) / 2.
            var centre = (nuint)(j2 + Pad / 2);
            var accRef = fc * Vector256.LoadUnsafe(ref er, centre);
            var accDis = fc * Vector256.LoadUnsafe(ref ed, centre);
            for (var d = 1; d <= half; d++)
            {
                var f = Vector256.Create((uint)filter[half - d]);
                nuint lo, hi;
                if ((d & 1) == 0)
                {
                    lo = (nuint)(j2 + (Pad - d) / 2);
                    hi = (nuint)(j2 + (Pad + d) / 2);
                    accRef += f * (Vector256.LoadUnsafe(ref er, lo) + Vector256.LoadUnsafe(ref er, hi));
                    accDis += f * (Vector256.LoadUnsafe(ref ed, lo) + Vector256.LoadUnsafe(ref ed, hi));
                }
                else
                {
                    lo = (nuint)(j2 + (Pad - d - 1) / 2);
                    hi = (nuint)(j2 + (Pad + d - 1) / 2);
                    accRef += f * (Vector256.LoadUnsafe(ref or, lo) + Vector256.LoadUnsafe(ref or, hi));
                    accDis += f * (Vector256.LoadUnsafe(ref od, lo) + Vector256.LoadUnsafe(ref od, hi));
                }
            }
            accRef = (accRef + vRound) >> 16;
            accDis = (accDis + vRound) >> 16;
            Vector128.Narrow(accRef.GetLower(), accRef.GetUpper()).StoreUnsafe(ref outR, (nuint)j2);
            Vector128.Narrow(accDis.GetLower(), accDis.GetUpper()).StoreUnsafe(ref outD, (nuint)j2);
        }
        for (; j2 < w2; j2++)
        {
            var start = Pad + 2 * j2 - half;
            uint accumRef = 0, accumDis = 0;
            for (var k = 0; k < filter.Length; k++)
            {
                accumRef += filter[k] * _convRef[start + k];
                accumDis += filter[k] * _convDis[start + k];
            }
            refOut[j2] = (ushort)((accumRef + 32768) >> 16);
            disOut[j2] = (ushort)((accumDis + 32768) >> 16);
        }
    }

    /// <summary>even[m] = row[2m], odd[m] = row[2m + 1] over the whole padded row.</summary>
    private static void Deinterleave(uint[] row, uint[] even, uint[] odd)
    {
        var pick = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
        var m = 0;
        for (; 2 * m + 16 <= row.Length; m += 8)
        {
            var a = Avx2.PermuteVar8x32(Vector256.LoadUnsafe(ref row[0], (nuint)(2 * m)).AsInt32(), pick).AsUInt32();
            var b = Avx2.PermuteVar8x32(Vector256.LoadUnsafe(ref row[0], (nuint)(2 * m + 8)).AsInt32(), pick).AsUInt32();
            Vector256.Create(a.GetLower(), b.GetLower()).StoreUnsafe(ref even[0], (nuint)m);
            Vector256.Create(a.GetUpper(), b.GetUpper()).StoreUnsafe(ref odd[0], (nuint)m);
        }
        for (; 2 * m + 1 < row.Length; m++)
        {
            even[m] = row[2 * m];
            odd[m] = row[2 * m + 1];
        }
    }

    /// <summary>The odd 32-bit lanes moved to the even positions (vpmuludq reads even lanes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Odd(Vector256<uint> v) => (v.AsUInt64() >> 32).AsUInt32();

    /// <summary>Four 32-bit values widened to the even lanes of a 64-bit vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Widen(ref uint source, nuint at) =>
        Avx2.ConvertToVector256Int64(Vector128.LoadUnsafe(ref source, at)).AsUInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> Interleave(Vector512<ulong> even, Vector512<ulong> odd, Vector512<ulong> round, int shift) =>
        (((even + round) >> shift) | (((odd + round) >> shift) << 32)).AsUInt32();

    /// <summary>(even + round) >> shift and (odd + round) >> shift (both fit 32 bits) back into pixel order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Interleave(Vector256<ulong> even, Vector256<ulong> odd, Vector256<ulong> round, int shift) =>
        (((even + round) >> shift) | (((odd + round) >> shift) << 32)).AsUInt32();
}
