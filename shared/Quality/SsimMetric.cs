using Aqs.Shared.Frames;

namespace Aqs.Shared.Quality;

/// <summary>
/// SSIM of a distorted frame against its reference, computed as FFmpeg's <c>ssim</c> filter does
/// (libavfilter/vf_ssim.c, the x264 SSIM): unweighted 8x8 windows on a 4-sample grid built from 4x4 block
/// sums, C1 = round(0.01²·max²·64), C2 = round(0.03²·max²·64·63), the mean over windows per plane, and
/// All = planes weighted by sample count. Samples right of / below the last whole 4x4 block are not used,
/// as in FFmpeg.
/// <para>
/// Planes too small for one 8x8 window (width or height below 8, where FFmpeg divides by zero and prints
/// nan) are scored as one window covering the whole plane with the same formula, 64 replaced by the
/// plane's sample count n (C1 = 0.01²·max²·n, C2 = 0.03²·max²·n·(n−1)); this is our choice, documented
/// here, so no NaN reaches a result.
/// </para>
/// Scratch is allocated once, in the constructor. Not thread-safe: one object per thread.
/// </summary>
public sealed unsafe class SsimMetric
{
    private readonly FrameLayout _layout;
    private readonly SimdLevel _level;
    private readonly double[] _weights;
    private readonly int _max;
    private readonly int _stride;
    private readonly int[] _rows;
    private readonly float[] _windows;

    public SsimMetric(FrameLayout layout)
        : this(layout, SimdLevels.Best)
    {
    }

    internal SsimMetric(FrameLayout layout, SimdLevel level)
    {
        FrameChecks.RequireSupported(layout, "ssim");
        _layout = layout;
        _level = SimdLevels.Clamp(level);
        _max = (1 << layout.Format.BitDepth()) - 1;
        _weights = PlaneWeights.Of(layout);
        // A row of block sums: 4 arrays of (blocks + 8 slack) ints, so vector loads at i+1 stay inside.
        _stride = ((layout.Width >> 2) + 8 + 7) & ~7;
        _rows = GC.AllocateArray<int>(2 * 4 * _stride, pinned: true);
        _windows = GC.AllocateArray<float>(_stride, pinned: true);
    }

    public FrameLayout Layout => _layout;

    internal SimdLevel Level => _level;

    public SsimResult Compute(in PlanarFrame reference, in PlanarFrame distorted) => Compute(reference, distorted, default);

    /// <summary>
    /// SSIM, and when <paramref name="sse"/> has room for every plane, each plane's exact sum of squared differences
    /// (what PSNR needs) from the same read of the samples: a 4x4 block's Σ(a−b)² is its ss − 2·s12, and the samples
    /// right of / below the last whole block, which SSIM leaves out, are added row by row.
    /// </summary>
    internal SsimResult Compute(in PlanarFrame reference, in PlanarFrame distorted, Span<ulong> sse)
    {
        FrameChecks.RequireMatching(_layout, reference, distorted, "ssim");
        Span<double> planes = stackalloc double[3] { 1.0, 1.0, 1.0 };
        var withSse = sse.Length >= _layout.PlaneCount;
        var all = 0.0;
        for (var p = 0; p < _layout.PlaneCount; p++)
        {
            ulong planeSse = 0;
            planes[p] = Plane(reference, distorted, p, withSse ? &planeSse : null);
            if (withSse)
            {
                sse[p] = planeSse;
            }
            all += _weights[p] * planes[p];
        }
        return new SsimResult(planes[0], planes[1], planes[2], all);
    }

    /// <summary>Builds the result from per-plane SSIM (also used by the GPU path).</summary>
    internal SsimResult FromPlanes(ReadOnlySpan<double> planes)
    {
        var all = 0.0;
        for (var p = 0; p < _layout.PlaneCount; p++)
        {
            all += _weights[p] * planes[p];
        }
        return new SsimResult(planes[0], _layout.PlaneCount > 1 ? planes[1] : 1.0, _layout.PlaneCount > 2 ? planes[2] : 1.0, all);
    }

    private double Plane(in PlanarFrame reference, in PlanarFrame distorted, int plane, ulong* sse)
    {
        var width = _layout.PlaneWidth(plane);
        var height = _layout.PlaneHeight(plane);
        var bytes = _layout.Format.BytesPerSample();
        fixed (byte* a = reference.Plane(plane))
        fixed (byte* b = distorted.Plane(plane))
        {
            nint strideA = reference.Stride(plane) / bytes;
            nint strideB = distorted.Stride(plane) / bytes;
            if (bytes == 1)
            {
                return Plane<Samples8>(a, strideA, b, strideB, width, height, sse);
            }
            return Plane<Samples16>(a, strideA, b, strideB, width, height, sse);
        }
    }

    private double Plane<T>(byte* a, nint strideA, byte* b, nint strideB, int width, int height, ulong* sse)
        where T : struct, ISamples
    {
        var blocksX = width >> 2;
        var blocksY = height >> 2;
        if (blocksX < 2 || blocksY < 2)
        {
            if (sse is not null)
            {
                *sse = Remainder<T>(a, strideA, b, strideB, 0, width, 0, height);
            }
            return WholePlane<T>(a, strideA, b, strideB, width, height, _max);
        }
        fixed (int* rows = _rows)
        fixed (float* windows = _windows)
        {
            var previous = rows;
            var current = rows + 4 * _stride;
            SsimKernels.BlockRow<T>(a, strideA, b, strideB, blocksX, previous, _stride, _level);
            ulong blockSse = sse is null ? 0 : SsimKernels.BlockRowSse(previous, _stride, blocksX);
            var total = 0.0;
            for (var y = 1; y < blocksY; y++)
            {
                SsimKernels.BlockRow<T>(a + 4 * y * strideA * SampleBytes<T>(), strideA, b + 4 * y * strideB * SampleBytes<T>(), strideB, blocksX, current, _stride, _level);
                if (sse is not null)
                {
                    blockSse += SsimKernels.BlockRowSse(current, _stride, blocksX);
                }
                total += _max == 255
                    ? SsimKernels.EndLine8(current, previous, _stride, blocksX - 1, _level)
                    : SsimKernels.EndLine16(current, previous, _stride, blocksX - 1, _max, windows, _level);
                var swap = previous;
                previous = current;
                current = swap;
            }
            if (sse is not null)
            {
                // The columns right of the last whole block (rows covered by blocks), then the rows below them.
                blockSse += Remainder<T>(a, strideA, b, strideB, 4 * blocksX, width, 0, 4 * blocksY);
                blockSse += Remainder<T>(a, strideA, b, strideB, 0, width, 4 * blocksY, height);
                *sse = blockSse;
            }
            return total / ((blocksX - 1) * (blocksY - 1));
        }
    }

    /// <summary>Σ(a−b)² over columns [x0, x1) of rows [y0, y1).</summary>
    private static ulong Remainder<T>(byte* a, nint strideA, byte* b, nint strideB, int x0, int x1, int y0, int y1)
        where T : struct, ISamples
    {
        ulong sum = 0;
        for (var y = y0; y < y1; y++)
        {
            for (var x = x0; x < x1; x++)
            {
                long d = T.Get(a, y * strideA + x) - T.Get(b, y * strideB + x);
                sum += (ulong)(d * d);
            }
        }
        return sum;
    }

    private static int SampleBytes<T>() where T : struct, ISamples => typeof(T) == typeof(Samples8) ? 1 : 2;

    /// <summary>One window over the whole plane, for planes with no complete 8x8 window (see the class remarks).</summary>
    internal static double WholePlane<T>(byte* a, nint strideA, byte* b, nint strideB, int width, int height, int max)
        where T : struct, ISamples
    {
        long s1 = 0, s2 = 0, ss = 0, s12 = 0;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                long va = T.Get(a, y * strideA + x);
                long vb = T.Get(b, y * strideB + x);
                s1 += va;
                s2 += vb;
                ss += va * va + vb * vb;
                s12 += va * vb;
            }
        }
        double n = (long)width * height;
        var c1 = .01 * .01 * max * max * n;
        // n·(n−1) is 0 for a one-sample plane; n·1 keeps the denominator positive there.
        var c2 = .03 * .03 * max * max * n * Math.Max(n - 1, 1);
        var vars = ss * n - (double)s1 * s1 - (double)s2 * s2;
        var covar = s12 * n - (double)s1 * s2;
        return (2.0 * s1 * s2 + c1) * (2.0 * covar + c2) / (((double)s1 * s1 + (double)s2 * s2 + c1) * (vars + c2));
    }
}
