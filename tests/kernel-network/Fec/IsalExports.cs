using Isal = Aqs.Kernel.Network.Interop.Interop.Isal;

namespace Aqs.Kernel.Network.Tests.Fec;

/// <summary>Direct calls of the ISA-L exports, to check the managed field against them.</summary>
internal static unsafe class IsalExports
{
    public static byte Multiply(byte a, byte b) => Isal.gf_mul(a, b);

    public static byte[] CauchyMatrix(int k, int m)
    {
        var matrix = new byte[(k + m) * k];
        fixed (byte* p = matrix)
        {
            Isal.gf_gen_cauchy1_matrix(p, k + m, k);
        }
        return matrix;
    }

    public static byte[] InitTables(int k, int rows, byte[] coefficients)
    {
        var tables = new byte[32 * k * rows];
        fixed (byte* c = coefficients)
        fixed (byte* t = tables)
        {
            Isal.ec_init_tables(k, rows, c, t);
        }
        return tables;
    }
}
