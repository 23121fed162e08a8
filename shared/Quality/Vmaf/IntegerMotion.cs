namespace Aqs.Shared.Quality.Vmaf;

/// <summary>
/// libvmaf's integer motion (integer_motion.c): the mean absolute value of the 5-tap blurred difference of two
/// consecutive reference frames, in 8-bit units. The difference is blurred vertically (rounded to bpc fewer bits)
/// then horizontally (>> 16), with mirrored edges (index -1 reads 1, index n reads n-2).
/// </summary>
internal sealed class IntegerMotion
{
    private static readonly int[] Filter = [3571, 16004, 26386, 16004, 3571];

    private readonly int _width;
    private readonly int _height;
    private readonly int _bitDepth;
    private readonly bool _simd;
    private readonly int[] _row;

    public IntegerMotion(int width, int height, int bitDepth, bool simd)
    {
        _simd = simd && System.Runtime.Intrinsics.X86.Avx2.IsSupported;
        _width = width;
        _height = height;
        _bitDepth = bitDepth;
        _row = new int[width + 4];
    }

    /// <summary>The motion score ("motion_sad") between two luma planes of samples (stride = width).</summary>
    public double Score(ReadOnlySpan<ushort> previous, ReadOnlySpan<ushort> current)
    {
        var w = _width;
        var h = _height;
        var round = 1 << (_bitDepth - 1);
        var shift = _bitDepth;
        var row = _row.AsSpan(2, w);
        ulong sad = 0;
        for (var i = 0; i < h; i++)
        {
            var r0 = Mirror(i - 2, h) * w;
            var r1 = Mirror(i - 1, h) * w;
            var r2 = i * w;
            var r3 = Mirror(i + 1, h) * w;
            var r4 = Mirror(i + 2, h) * w;
            var any = 0;
            for (var j = 0; j < w; j++)
            {
                var accum = Filter[0] * (previous[r0 + j] - current[r0 + j])
                          + Filter[1] * (previous[r1 + j] - current[r1 + j])
                          + Filter[2] * (previous[r2 + j] - current[r2 + j])
                          + Filter[3] * (previous[r3 + j] - current[r3 + j])
                          + Filter[4] * (previous[r4 + j] - current[r4 + j]);
                var v = (accum + round) >> shift;
                row[j] = v;
                any |= v;
            }
            if (any == 0)
            {
                continue;
            }
            uint rowSad = 0;
            for (var j = 0; j < w; j++)
            {
                long accum = 0;
                for (var k = 0; k < 5; k++)
                {
                    accum += (long)Filter[k] * row[Mirror(j - 2 + k, w)];
                }
                rowSad += (uint)Math.Abs((int)((accum + 32768) >> 16));
            }
            sad += rowSad;
        }
        return Math.Min((double)sad / 256.0 / ((double)w * h), 10000.0);
    }

    internal static int Mirror(int index, int size) =>
        index < 0 ? -index : index >= size ? 2 * size - index - 2 : index;
}
