using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Aqs.Shared.Quality;

/// <summary>
/// How a kernel reads samples of one width: 8-bit bytes or 16-bit little-endian words. Kernels are generic
/// over a struct implementing this, so the JIT emits one specialised copy per width with no indirection.
/// Offsets are in samples.
/// </summary>
internal unsafe interface ISamples
{
    static abstract int Get(byte* plane, nint offset);

    /// <summary>16 samples widened to int16 lanes.</summary>
    static abstract Vector256<short> Load256(byte* plane, nint offset);

    /// <summary>8 samples widened to int16 lanes.</summary>
    static abstract Vector128<short> Load128(byte* plane, nint offset);
}

internal readonly unsafe struct Samples8 : ISamples
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Get(byte* plane, nint offset) => plane[offset];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<short> Load256(byte* plane, nint offset) => Avx2.ConvertToVector256Int16(plane + offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<short> Load128(byte* plane, nint offset) => Sse41.ConvertToVector128Int16(plane + offset);
}

internal readonly unsafe struct Samples16 : ISamples
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Get(byte* plane, nint offset) => ((ushort*)plane)[offset];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<short> Load256(byte* plane, nint offset) => Avx.LoadVector256((short*)plane + offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<short> Load128(byte* plane, nint offset) => Sse2.LoadVector128((short*)plane + offset);
}
