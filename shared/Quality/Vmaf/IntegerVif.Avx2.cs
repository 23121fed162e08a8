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
        var j = 0;
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

    /// <summary>Horizontal pass of one padded row into _hMu1.._hXy (one value per pixel, ready for Accumulate).</summary>
    private void HorizontalMomentsAvx2(int w, ushort[] filter)
    {
        var half = filter.Length / 2;
        ref var mu1In = ref _mu1[0];
        ref var mu2In = ref _mu2[0];
        ref var xxIn = ref _xx[0];
        ref var yyIn = ref _yy[0];
        ref var xyIn = ref _xy[0];
        var j = 0;
        for (; j + 8 <= w; j += 8)
        {
            var start = Pad + j - half;
            Vector256<uint> mu1 = default, mu2 = default;
            Vector256<ulong> xxLo = default, xxHi = default, yyLo = default, yyHi = default, xyLo = default, xyHi = default;
            for (var k = 0; k < filter.Length; k++)
            {
                var f = Vector256.Create((uint)filter[k]);
                var at = (nuint)(start + k);
                mu1 += f * Vector256.LoadUnsafe(ref mu1In, at);
                mu2 += f * Vector256.LoadUnsafe(ref mu2In, at);
                xxLo += Avx2.Multiply(Widen(ref xxIn, at), f);
                xxHi += Avx2.Multiply(Widen(ref xxIn, at + 4), f);
                yyLo += Avx2.Multiply(Widen(ref yyIn, at), f);
                yyHi += Avx2.Multiply(Widen(ref yyIn, at + 4), f);
                xyLo += Avx2.Multiply(Widen(ref xyIn, at), f);
                xyHi += Avx2.Multiply(Widen(ref xyIn, at + 4), f);
            }
            mu1.StoreUnsafe(ref _hMu1[0], (nuint)j);
            mu2.StoreUnsafe(ref _hMu2[0], (nuint)j);
            xxLo.StoreUnsafe(ref _hXx[0], (nuint)j);
            xxHi.StoreUnsafe(ref _hXx[0], (nuint)j + 4);
            yyLo.StoreUnsafe(ref _hYy[0], (nuint)j);
            yyHi.StoreUnsafe(ref _hYy[0], (nuint)j + 4);
            xyLo.StoreUnsafe(ref _hXy[0], (nuint)j);
            xyHi.StoreUnsafe(ref _hXy[0], (nuint)j + 4);
        }
        for (; j < w; j++)
        {
            uint mu1 = 0, mu2 = 0;
            ulong xx = 0, yy = 0, xy = 0;
            var start = Pad + j - half;
            for (var k = 0; k < filter.Length; k++)
            {
                uint f = filter[k];
                mu1 += f * _mu1[start + k];
                mu2 += f * _mu2[start + k];
                xx += (ulong)f * _xx[start + k];
                yy += (ulong)f * _yy[start + k];
                xy += (ulong)f * _xy[start + k];
            }
            _hMu1[j] = mu1;
            _hMu2[j] = mu2;
            _hXx[j] = xx;
            _hYy[j] = yy;
            _hXy[j] = xy;
        }
    }

    private void SubsampleVerticalAvx2(ReadOnlySpan<ushort> reference, ReadOnlySpan<ushort> distorted, int w, ReadOnlySpan<int> rows,
        ushort[] filter, uint round, int shift)
    {
        ref var r0 = ref MemoryMarshal.GetReference(reference);
        ref var d0 = ref MemoryMarshal.GetReference(distorted);
        var vRound = Vector256.Create(round);
        var j = 0;
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

    /// <summary>Horizontal low-pass of the padded row at every column (vector), keeping the even ones.</summary>
    private void SubsampleHorizontalAvx2(int w, ushort[] filter, Span<ushort> refOut, Span<ushort> disOut)
    {
        var half = filter.Length / 2;
        var vRound = Vector256.Create(32768u);
        var j = 0;
        for (; j + 8 <= w; j += 8)
        {
            var start = (nuint)(Pad + j - half);
            Vector256<uint> accumRef = default, accumDis = default;
            for (var k = 0; k < filter.Length; k++)
            {
                var f = Vector256.Create((uint)filter[k]);
                accumRef += f * Vector256.LoadUnsafe(ref _convRef[0], start + (nuint)k);
                accumDis += f * Vector256.LoadUnsafe(ref _convDis[0], start + (nuint)k);
            }
            ((accumRef + vRound) >> 16).StoreUnsafe(ref _hMu1[0], (nuint)j);
            ((accumDis + vRound) >> 16).StoreUnsafe(ref _hMu2[0], (nuint)j);
        }
        for (; j < w; j++)
        {
            var start = Pad + j - half;
            uint accumRef = 0, accumDis = 0;
            for (var k = 0; k < filter.Length; k++)
            {
                accumRef += filter[k] * _convRef[start + k];
                accumDis += filter[k] * _convDis[start + k];
            }
            _hMu1[j] = (accumRef + 32768) >> 16;
            _hMu2[j] = (accumDis + 32768) >> 16;
        }
        for (var j2 = 0; j2 < refOut.Length; j2++)
        {
            refOut[j2] = (ushort)_hMu1[2 * j2];
            disOut[j2] = (ushort)_hMu2[2 * j2];
        }
    }

    /// <summary>The odd 32-bit lanes moved to the even positions (vpmuludq reads even lanes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Odd(Vector256<uint> v) => (v.AsUInt64() >> 32).AsUInt32();

    /// <summary>Four 32-bit values widened to the even lanes of a 64-bit vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Widen(ref uint source, nuint at) =>
        Avx2.ConvertToVector256Int64(Vector128.LoadUnsafe(ref source, at)).AsUInt32();

    /// <summary>(even + round) >> shift and (odd + round) >> shift (both fit 32 bits) back into pixel order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Interleave(Vector256<ulong> even, Vector256<ulong> odd, Vector256<ulong> round, int shift) =>
        (((even + round) >> shift) | (((odd + round) >> shift) << 32)).AsUInt32();
}
