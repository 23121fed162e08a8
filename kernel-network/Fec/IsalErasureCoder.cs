using Aqs.Kernel.Network.Interop;
using Isal = Aqs.Kernel.Network.Interop.Interop.Isal;

namespace Aqs.Kernel.Network.Fec;

/// <summary>The erasure code run by Intel ISA-L: its Cauchy matrix, inversion, tables and SIMD kernels.</summary>
public sealed unsafe class IsalErasureCoder : ErasureCoder
{
    public IsalErasureCoder()
    {
        if (!IsAvailable)
        {
            Isal.ThrowUnavailable();
        }
    }

    /// <summary>True when libisal.so.2 can be loaded here.</summary>
    public static bool IsAvailable => Isal.IsAvailable;

    public override string Engine => "isa-l";

    protected override void BuildGenerator(byte* matrix, int k, int totalRows) =>
        Isal.gf_gen_cauchy1_matrix(matrix, totalRows, k);

    protected override bool Invert(byte* input, byte* output, int n) =>
        Isal.gf_invert_matrix(input, output, n) == 0;

    protected override void InitTables(int k, int rows, byte* coefficients, byte* tables) =>
        Isal.ec_init_tables(k, rows, coefficients, tables);

    protected override void DotProducts(int length, int k, int rows, byte* tables, byte** sources, byte** targets) =>
        Isal.ec_encode_data(length, k, rows, tables, sources, targets);
}
