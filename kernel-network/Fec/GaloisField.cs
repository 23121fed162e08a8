namespace Aqs.Kernel.Network.Fec;

/// <summary>
/// GF(2^8) with polynomial x^8+x^4+x^3+x^2+1 (0x11d) and generator 2: the field ISA-L uses, so that the
/// managed coder's matrices and tables are byte-identical to <c>gf_gen_cauchy1_matrix</c>/<c>ec_init_tables</c>.
/// </summary>
public static class GaloisField
{
    /// <summary>Bytes of nibble table per coefficient: 16 products of the low nibble, then 16 of the high nibble (ISA-L's <c>gftbls</c> layout).</summary>
    public const int TableBytesPerCoefficient = 32;

    private const int Polynomial = 0x11d;

    // exp has 512 entries so that Exp[Log[a] + Log[b]] needs no modulo.
    private static readonly byte[] s_exp = BuildExp();
    private static readonly byte[] s_log = BuildLog(s_exp);

    public static byte Multiply(byte a, byte b) =>
        a == 0 || b == 0 ? (byte)0 : s_exp[s_log[a] + s_log[b]];

    /// <summary>Multiplicative inverse; 0 maps to 0 as in ISA-L's <c>gf_inv</c>.</summary>
    public static byte Inverse(byte a) => a == 0 ? (byte)0 : s_exp[255 - s_log[a]];

    /// <summary>
    /// The (k+m) x k systematic Cauchy generator, row-major: identity rows, then row i (k &lt;= i &lt; k+m),
    /// column j = 1/(i xor j). Every k x k submatrix is invertible while k+m &lt;= 256.
    /// </summary>
    public static void CauchyMatrix(Span<byte> matrix, int dataShards, int parityShards)
    {
        var k = dataShards;
        var rows = dataShards + parityShards;
        if (matrix.Length < rows * k)
        {
            throw new ArgumentException($"matrix needs {rows * k} bytes: length={matrix.Length}", nameof(matrix));
        }
        matrix[..(rows * k)].Clear();
        for (var i = 0; i < k; i++)
        {
            matrix[i * k + i] = 1;
        }
        for (var i = k; i < rows; i++)
        {
            for (var j = 0; j < k; j++)
            {
                matrix[i * k + j] = Inverse((byte)(i ^ j));
            }
        }
    }

    /// <summary>
    /// Gauss-Jordan inverse of the n x n <paramref name="input"/> (overwritten) into <paramref name="output"/>.
    /// Returns false when singular. The inverse is unique, so this agrees with ISA-L's <c>gf_invert_matrix</c>.
    /// </summary>
    public static bool TryInvert(Span<byte> input, Span<byte> output, int n)
    {
        output[..(n * n)].Clear();
        for (var i = 0; i < n; i++)
        {
            output[i * n + i] = 1;
        }
        for (var col = 0; col < n; col++)
        {
            var pivot = col;
            while (pivot < n && input[pivot * n + col] == 0)
            {
                pivot++;
            }
            if (pivot == n)
            {
                return false;
            }
            if (pivot != col)
            {
                SwapRows(input, n, pivot, col);
                SwapRows(output, n, pivot, col);
            }
            var scale = Inverse(input[col * n + col]);
            for (var j = 0; j < n; j++)
            {
                input[col * n + j] = Multiply(input[col * n + j], scale);
                output[col * n + j] = Multiply(output[col * n + j], scale);
            }
            for (var row = 0; row < n; row++)
            {
                var factor = input[row * n + col];
                if (row == col || factor == 0)
                {
                    continue;
                }
                for (var j = 0; j < n; j++)
                {
                    input[row * n + j] ^= Multiply(factor, input[col * n + j]);
                    output[row * n + j] ^= Multiply(factor, output[col * n + j]);
                }
            }
        }
        return true;
    }

    /// <summary>
    /// Expands coefficient rows into nibble tables, table (r, j) at ((r*k)+j)*32: exactly ISA-L's <c>ec_init_tables</c>.
    /// </summary>
    public static void InitTables(int k, int rows, ReadOnlySpan<byte> coefficients, Span<byte> tables)
    {
        for (var c = 0; c < k * rows; c++)
        {
            var coefficient = coefficients[c];
            var table = tables.Slice(c * TableBytesPerCoefficient, TableBytesPerCoefficient);
            for (var x = 0; x < 16; x++)
            {
                table[x] = Multiply(coefficient, (byte)x);
                table[16 + x] = Multiply(coefficient, (byte)(x << 4));
            }
        }
    }

    private static void SwapRows(Span<byte> m, int n, int a, int b)
    {
        for (var j = 0; j < n; j++)
        {
            (m[a * n + j], m[b * n + j]) = (m[b * n + j], m[a * n + j]);
        }
    }

    private static byte[] BuildExp()
    {
        var exp = new byte[512];
        var x = 1;
        for (var i = 0; i < 255; i++)
        {
            exp[i] = (byte)x;
            x <<= 1;
            if ((x & 0x100) != 0)
            {
                x ^= Polynomial;
            }
        }
        for (var i = 255; i < 512; i++)
        {
            exp[i] = exp[i - 255];
        }
        return exp;
    }

    private static byte[] BuildLog(byte[] exp)
    {
        var log = new byte[256];
        for (var i = 0; i < 255; i++)
        {
            log[exp[i]] = (byte)i;
        }
        return log;
    }
}
