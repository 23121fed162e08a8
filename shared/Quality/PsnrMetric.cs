using Aqs.Shared.Frames;

namespace Aqs.Shared.Quality;

/// <summary>
/// PSNR of a distorted frame against its reference, computed as FFmpeg's <c>psnr</c> filter does
/// (libavfilter/vf_psnr.c): exact integer sums of squared differences per plane, MSE = sum / samples,
/// the average MSE weighted by plane sample counts, and PSNR against the peak <c>2^depth − 1</c>
/// (the average uses the rounded sample-weighted mean of the planes' peaks, which is the same peak for
/// our formats). No allocation per frame. Not thread-safe: one object per thread.
/// </summary>
public sealed class PsnrMetric
{
    private readonly FrameLayout _layout;
    private readonly SimdLevel _level;
    private readonly double[] _weights;
    private readonly int _max;
    private readonly int _averageMax;

    public PsnrMetric(FrameLayout layout)
        : this(layout, SimdLevels.Best)
    {
    }

    internal PsnrMetric(FrameLayout layout, SimdLevel level)
    {
        FrameChecks.RequireSupported(layout, "psnr");
        _layout = layout;
        _level = SimdLevels.Clamp(level);
        _max = (1 << layout.Format.BitDepth()) - 1;
        _weights = PlaneWeights.Of(layout);
        var averageMax = 0.0;
        foreach (var weight in _weights)
        {
            averageMax += _max * weight;
        }
        // FFmpeg: s->average_max = lrint(average_max) (round half to even, as lrint in the default mode).
        _averageMax = (int)Math.Round(averageMax, MidpointRounding.ToEven);
    }

    public FrameLayout Layout => _layout;

    internal int Max => _max;

    internal int AverageMax => _averageMax;

    internal SimdLevel Level => _level;

    public PsnrResult Compute(in PlanarFrame reference, in PlanarFrame distorted)
    {
        FrameChecks.RequireMatching(_layout, reference, distorted, "psnr");
        Span<ulong> sse = stackalloc ulong[3];
        for (var p = 0; p < _layout.PlaneCount; p++)
        {
            sse[p] = PlaneSse(reference, distorted, p);
        }
        return FromSse(sse);
    }

    /// <summary>Builds the result from per-plane sums of squared differences (also used by the GPU path).</summary>
    internal PsnrResult FromSse(ReadOnlySpan<ulong> sse)
    {
        Span<double> mse = stackalloc double[3];
        var average = 0.0;
        for (var p = 0; p < _layout.PlaneCount; p++)
        {
            mse[p] = sse[p] / ((double)_layout.PlaneWidth(p) * _layout.PlaneHeight(p));
            average += mse[p] * _weights[p];
        }
        return new PsnrResult(
            Decibels.Psnr(mse[0], _max), Decibels.Psnr(mse[1], _max), Decibels.Psnr(mse[2], _max),
            Decibels.Psnr(average, _averageMax),
            mse[0], mse[1], mse[2], average);
    }

    private unsafe ulong PlaneSse(in PlanarFrame reference, in PlanarFrame distorted, int plane)
    {
        var width = _layout.PlaneWidth(plane);
        var height = _layout.PlaneHeight(plane);
        fixed (byte* a = reference.Plane(plane))
        fixed (byte* b = distorted.Plane(plane))
        {
            if (_layout.Format.BytesPerSample() == 1)
            {
                return PsnrKernels.PlaneSse8(a, reference.Stride(plane), b, distorted.Stride(plane), width, height, _level);
            }
            return PsnrKernels.PlaneSse16((ushort*)a, reference.Stride(plane) / 2, (ushort*)b, distorted.Stride(plane) / 2, width, height, _level);
        }
    }
}
