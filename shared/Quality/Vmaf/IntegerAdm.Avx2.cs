using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Aqs.Shared.Quality.Vmaf;

// Helpers shared by the AVX2 twins of the ADM passes. 64-bit products use vpmuldq/vpmuludq on the even 32-bit lanes
// and, after a 32-bit shift, on the odd lanes; results of a right shift s <= 32 that the scalar code casts to int are
// bits s..s+31 of the 64-bit value, which a logical shift delivers as well as an arithmetic one.
internal sealed partial class IntegerAdm
{
    /// <summary>Smallest level width the vectorised passes take; narrower levels run the scalar code.</summary>
    private const int MinSimdWidth = 16;

    /// <summary>Slack after every buffer: vector loops may read (never use) up to one vector past a row's end.</summary>
    private const int Slack = 32;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Sext16(Vector256<int> v) => Avx2.ShiftRightArithmetic(Avx2.ShiftLeftLogical(v, 16), 16);

    /// <summary>Odd 32-bit lanes moved to the even ones (for vpmuldq on the odd lanes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Odd(Vector256<int> v) => Avx2.Shuffle(v, 0xF5);

    /// <summary>Even 32-bit lanes widened to 64-bit lanes (for 32-bit masks applied to even-lane 64-bit results).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<long> Even64(Vector256<int> v) => Avx2.Shuffle(v, 0xA0).AsInt64();

    /// <summary>Bits shift..shift+31 of the even-lane and odd-lane 64-bit results, back in 32-bit lane order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Combine(Vector256<long> even, Vector256<long> odd, Vector128<long> shift, Vector128<long> shiftUp) =>
        Avx2.Blend(Avx2.ShiftRightLogical(even, shift).AsInt32(), Avx2.ShiftLeftLogical(odd, shiftUp).AsInt32(), 0xAA);

    /// <summary>Upper 32 bits of the even-lane and odd-lane 64-bit values (an arithmetic >> 32), in 32-bit lane order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> High(Vector256<long> even, Vector256<long> odd) =>
        Avx2.Blend(Avx2.ShiftRightLogical(even, 32).AsInt32(), odd.AsInt32(), 0xAA);

    /// <summary>64-bit arithmetic right shift (AVX2 has only the logical one).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<long> Sra64(Vector256<long> v, Vector128<long> count)
    {
        if (Avx512F.VL.IsSupported)
        {
            return Avx512F.VL.ShiftRightArithmetic(v, count);
        }
        var sign = Avx2.CompareGreaterThan(Vector256<long>.Zero, v);
        return Avx2.Xor(Avx2.ShiftRightLogical(Avx2.Xor(v, sign), count), sign);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<long> Count(int shift) => Vector128.CreateScalar((long)shift);

    /// <summary>Lanes j + 0..7 that lie before <paramref name="end"/>, as all-ones.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Before(int j, int end) =>
        Avx2.CompareGreaterThan(Vector256.Create(end - j), Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7));

    /// <summary>Sum of the four 64-bit lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long Sum(Vector256<long> v)
    {
        var s = Sse2.Add(v.GetLower(), v.GetUpper());
        return s.ToScalar() + s.GetElement(1);
    }
}
