using Aqs.Kernel.Network.Fec;

namespace Aqs.Bench.Network;

/// <summary>
/// The shared <see cref="ErasureCoder"/> bookkeeping (source choice, table cache, bound check, address gather) with
/// the GF(2^8) kernel replaced by one store, so timing its Encode and Reconstruct measures what our binding adds per
/// call on top of ISA-L. Tables come from the managed field, which builds the same ones ISA-L does.
/// </summary>
internal sealed unsafe class KernelStubCoder : ErasureCoder
{
    private long _sink;

    public override string Engine => "kernel-stub";

    protected override void BuildGenerator(byte* matrix, int k, int totalRows) =>
        GaloisField.CauchyMatrix(new Span<byte>(matrix, totalRows * k), k, totalRows - k);

    protected override bool Invert(byte* input, byte* output, int n) =>
        GaloisField.TryInvert(new Span<byte>(input, n * n), new Span<byte>(output, n * n), n);

    protected override void InitTables(int k, int rows, byte* coefficients, byte* tables) =>
        GaloisField.InitTables(k, rows, new ReadOnlySpan<byte>(coefficients, k * rows), new Span<byte>(tables, 32 * k * rows));

    // Reads the last gathered addresses so the gather cannot be dropped as dead stores.
    protected override void DotProducts(int length, int k, int rows, byte* tables, byte** sources, byte** targets) =>
        _sink += (long)sources[k - 1] ^ (long)targets[rows - 1] ^ (long)tables;
}
