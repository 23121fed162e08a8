namespace Aqs.Kernel.Network.Fec;

/// <summary>
/// The erasure code in C#: same matrix and tables as ISA-L (so identical bytes), kernels in
/// <see cref="GfDotProduct"/> using the widest of AVX-512BW, AVX2, SSSE3 or scalar that the CPU has.
/// </summary>
public sealed unsafe class ManagedErasureCoder : ErasureCoder
{
    private readonly GfPath _path;

    public ManagedErasureCoder()
        : this(GfDotProduct.BestPath)
    {
    }

    /// <summary>Forces a kernel (tests run every path); a path the CPU lacks is refused.</summary>
    public ManagedErasureCoder(GfPath path)
    {
        if (!GfDotProduct.IsSupported(path))
        {
            throw new PlatformNotSupportedException($"this CPU lacks the instructions of the {path} path");
        }
        _path = path;
    }

    public override string Engine => "managed-" + _path.ToString().ToLowerInvariant();

    protected override void BuildGenerator(byte* matrix, int k, int totalRows) =>
        GaloisField.CauchyMatrix(new Span<byte>(matrix, totalRows * k), k, totalRows - k);

    protected override bool Invert(byte* input, byte* output, int n) =>
        GaloisField.TryInvert(new Span<byte>(input, n * n), new Span<byte>(output, n * n), n);

    protected override void InitTables(int k, int rows, byte* coefficients, byte* tables) =>
        GaloisField.InitTables(k, rows, new ReadOnlySpan<byte>(coefficients, k * rows), new Span<byte>(tables, 32 * k * rows));

    protected override void DotProducts(int length, int k, int rows, byte* tables, byte** sources, byte** targets) =>
        GfDotProduct.Run(_path, length, k, rows, tables, sources, targets);
}
