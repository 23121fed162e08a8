namespace Aqs.Kernel.Network.Fec;

/// <summary>Which instruction set the managed GF(2^8) kernel uses.</summary>
public enum GfPath
{
    /// <summary>Two 16-entry table lookups per byte; runs everywhere.</summary>
    Scalar,

    /// <summary>16 bytes at a time with PSHUFB nibble lookups.</summary>
    Ssse3,

    /// <summary>32 bytes at a time with VPSHUFB.</summary>
    Avx2,

    /// <summary>64 bytes at a time with AVX-512BW VPSHUFB.</summary>
    Avx512,
}
