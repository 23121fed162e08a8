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
