using System.Numerics;

namespace Aqs.Shared.Quality.Vmaf;

/// <summary>The lookup tables libvmaf's integer VIF and ADM share, built once per process.</summary>
internal static class FixedPointTables
{
    /// <summary>log2(i) * 2048 rounded, for i in 32767..65535 (the 16 leading bits of a value); 0 elsewhere.</summary>
    public static readonly ushort[] Log2 = BuildLog2();

    /// <summary>
    /// <see cref="Log2"/> in pinned memory, for AVX2 gathers: a gather reads 32 bits at entry i (entries i and i + 1),
    /// so callers mask the upper half; the 65537th entry keeps the read of entry 65535 inside the array.
    /// </summary>
    public static readonly ushort[] Log2Pinned = BuildPinned(Log2);

    /// <summary>2^30 / i for i in -32768..32768 at index i + 32768 (index 32768, i = 0, is unused).</summary>
    public static readonly int[] Division = BuildDivision();

    /// <summary>log2(x) * 2048 from x's 16 leading bits; x must be at least 2^16.</summary>
    public static int Log2Of32(uint x)
    {
        var k = 16 - BitOperations.LeadingZeroCount(x);
        return Log2[x >> k] + 2048 * k;
    }

    /// <summary>log2(x) * 2048 from x's 16 leading bits; x must be at least 2^17.</summary>
    public static int Log2Of64(ulong x)
    {
        var k = 48 - BitOperations.LeadingZeroCount(x);
        return Log2[(int)(x >> k)] + 2048 * k;
    }

    private static ushort[] BuildLog2()
    {
        var table = new ushort[65537];
        for (var i = 32767; i < 65536; i++)
        {
            // libvmaf: round(log2f((float)i) * 2048) with the product in float.
            table[i] = (ushort)Math.Round((double)(MathF.Log2(i) * 2048f), MidpointRounding.AwayFromZero);
        }
        return table;
    }

    private static ushort[] BuildPinned(ushort[] table)
    {
        var pinned = GC.AllocateUninitializedArray<ushort>(table.Length, pinned: true);
        table.CopyTo(pinned, 0);
        return pinned;
    }

    private static int[] BuildDivision()
    {
        var table = new int[65537];
        for (var i = 1; i <= 32768; i++)
        {
            var reciprocal = 1073741824 / i;
            table[32768 + i] = reciprocal;
            table[32768 - i] = -reciprocal;
        }
        return table;
    }
}
