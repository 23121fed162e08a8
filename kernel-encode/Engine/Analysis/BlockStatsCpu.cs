using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Aqs.Engine.Analysis;

/// <summary>
/// Block sums and sums of squares on the CPU: AVX2 (psadbw gives four 8-sample row sums at once, pmaddwd the
/// squares) with a scalar twin for the ragged block columns and for CPUs without AVX2. Allocation-free.
/// </summary>
public static class BlockStatsCpu
{
    /// <summary>Fills <paramref name="stats"/> for <paramref name="plane"/>; <paramref name="useVector"/> false forces the scalar twin (tests).</summary>
    public static unsafe void Compute(in LumaPlane plane, BlockStats stats, bool useVector = true)
    {
        var grid = stats.Grid;
        if (grid != BlockGrid.For(plane.Width, plane.Height))
        {
            throw new ArgumentException($"block stats for {grid.BlocksX}x{grid.BlocksY} blocks cannot hold a {plane.Width}x{plane.Height} plane");
        }
        var vector = useVector && Avx2.IsSupported;
        fixed (byte* samples = plane.Samples)
        fixed (int* sum = stats.Sum, squares = stats.SumSquares)
        {
            for (var by = 0; by < grid.BlocksY; by++)
            {
                var row = samples + (long)by * BlockGrid.Size * plane.StrideBytes;
                var outSum = sum + by * grid.BlocksX;
                var outSq = squares + by * grid.BlocksX;
                var done = 0;
                if (plane.BytesPerSample == 1)
                {
                    if (vector)
                    {
                        done = Row8Avx2(row, plane.StrideBytes, grid.BlocksX, outSum, outSq);
                    }
                    RowScalar8(row, plane.StrideBytes, done, grid.BlocksX, outSum, outSq);
                }
                else
                {
                    if (vector)
                    {
                        done = Row16Avx2(row, plane.StrideBytes, grid.BlocksX, outSum, outSq);
                    }
                    RowScalar16(row, plane.StrideBytes, done, grid.BlocksX, outSum, outSq);
                }
            }
        }
    }

    /// <summary>Four blocks (32 samples) a step; returns the blocks done.</summary>
    private static unsafe int Row8Avx2(byte* row, int stride, int blocksX, int* sum, int* squares)
    {
        var b = 0;
        for (; b + 4 <= blocksX; b += 4)
        {
            var sad = Vector256<ulong>.Zero;
            var sqLo = Vector256<int>.Zero;
            var sqHi = Vector256<int>.Zero;
            var p = row + b * BlockGrid.Size;
            for (var r = 0; r < BlockGrid.Size; r++, p += stride)
            {
                var v = Avx.LoadVector256(p);
                sad = Avx2.Add(sad, Avx2.SumAbsoluteDifferences(v, Vector256<byte>.Zero).AsUInt64());
                var lo = Avx2.ConvertToVector256Int16(v.GetLower());
                var hi = Avx2.ConvertToVector256Int16(v.GetUpper());
                sqLo = Avx2.Add(sqLo, Avx2.MultiplyAddAdjacent(lo, lo));
                sqHi = Avx2.Add(sqHi, Avx2.MultiplyAddAdjacent(hi, hi));
            }
            sum[b] = (int)sad.GetElement(0);
            sum[b + 1] = (int)sad.GetElement(1);
            sum[b + 2] = (int)sad.GetElement(2);
            sum[b + 3] = (int)sad.GetElement(3);
            squares[b] = HalfSum(sqLo.GetLower());
            squares[b + 1] = HalfSum(sqLo.GetUpper());
            squares[b + 2] = HalfSum(sqHi.GetLower());
            squares[b + 3] = HalfSum(sqHi.GetUpper());
        }
        return b;
    }

    /// <summary>Two blocks (16 samples of 16 bits) a step; returns the blocks done.</summary>
    private static unsafe int Row16Avx2(byte* row, int stride, int blocksX, int* sum, int* squares)
    {
        var ones = Vector256.Create((short)1);
        var b = 0;
        for (; b + 2 <= blocksX; b += 2)
        {
            var s = Vector256<int>.Zero;
            var sq = Vector256<int>.Zero;
            var p = row + b * BlockGrid.Size * 2;
            for (var r = 0; r < BlockGrid.Size; r++, p += stride)
            {
                var v = Avx.LoadVector256((short*)p);
                s = Avx2.Add(s, Avx2.MultiplyAddAdjacent(v, ones));
                sq = Avx2.Add(sq, Avx2.MultiplyAddAdjacent(v, v));
            }
            sum[b] = HalfSum(s.GetLower());
            sum[b + 1] = HalfSum(s.GetUpper());
            squares[b] = HalfSum(sq.GetLower());
            squares[b + 1] = HalfSum(sq.GetUpper());
        }
        return b;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int HalfSum(Vector128<int> v) => v.GetElement(0) + v.GetElement(1) + v.GetElement(2) + v.GetElement(3);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static unsafe void RowScalar8(byte* row, int stride, int from, int blocksX, int* sum, int* squares)
    {
        for (var b = from; b < blocksX; b++)
        {
            int s = 0, sq = 0;
            var p = row + b * BlockGrid.Size;
            for (var r = 0; r < BlockGrid.Size; r++, p += stride)
            {
                for (var x = 0; x < BlockGrid.Size; x++)
                {
                    int v = p[x];
                    s += v;
                    sq += v * v;
                }
            }
            sum[b] = s;
            squares[b] = sq;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static unsafe void RowScalar16(byte* row, int stride, int from, int blocksX, int* sum, int* squares)
    {
        for (var b = from; b < blocksX; b++)
        {
            int s = 0, sq = 0;
            var p = row + b * BlockGrid.Size * 2;
            for (var r = 0; r < BlockGrid.Size; r++, p += stride)
            {
                var words = (ushort*)p;
                for (var x = 0; x < BlockGrid.Size; x++)
                {
                    int v = words[x];
                    s += v;
                    sq += v * v;
                }
            }
            sum[b] = s;
            squares[b] = sq;
        }
    }
}
