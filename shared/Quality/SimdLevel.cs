using System.Runtime.Intrinsics.X86;

namespace Aqs.Shared.Quality;

/// <summary>
/// Which instruction set a metric's hot loops use. Picked once per metric object; tests pass a lower
/// level explicitly so every path (and its scalar remainder) is exercised on any machine.
/// </summary>
internal enum SimdLevel
{
    /// <summary>Plain C#; the reference every vector path must match bit for bit.</summary>
    Scalar = 0,
    /// <summary>128-bit SSE4.1 (pmaddwd, phaddd, pmulld).</summary>
    Sse41 = 1,
    /// <summary>256-bit AVX2.</summary>
    Avx2 = 2,
}

internal static class SimdLevels
{
    /// <summary>The best level this CPU runs.</summary>
    public static SimdLevel Best =>
        Avx2.IsSupported ? SimdLevel.Avx2 :
        Sse41.IsSupported && Ssse3.IsSupported ? SimdLevel.Sse41 :
        SimdLevel.Scalar;

    /// <summary>The requested level, lowered to what the CPU supports.</summary>
    public static SimdLevel Clamp(SimdLevel requested) => (SimdLevel)Math.Min((int)requested, (int)Best);
}
