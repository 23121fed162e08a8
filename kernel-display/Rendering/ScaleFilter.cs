namespace Aqs.Kernel.Display.Rendering;

/// <summary>The resampling kernel the renderer scales with.</summary>
public enum ScaleFilter
{
    /// <summary>Triangle, support 1.</summary>
    Bilinear,
    /// <summary>Keys' cubic with a = −0.5 (Catmull-Rom), support 2.</summary>
    Bicubic,
    /// <summary>Lanczos with three lobes, support 3.</summary>
    Lanczos,
}

/// <summary>
/// One axis of a separable resampler: for each output position, <see cref="Taps"/> source indices (clamped to the
/// edge) and their weights (summing to 1). Sample centres map as FFmpeg's do: output i sits at (i + 0.5)·src/dst − 0.5.
/// When shrinking, the kernel is stretched by src/dst so that it still averages every source sample it covers.
/// The GPU passes and the tests' CPU reference read the same table.
/// </summary>
public sealed class ResampleTable
{
    private ResampleTable(int taps, int[] index, float[] weights)
    {
        Taps = taps;
        Index = index;
        Weights = weights;
    }

    public int Taps { get; }
    public int[] Index { get; }
    public float[] Weights { get; }

    public static double Support(ScaleFilter filter) => filter switch
    {
        ScaleFilter.Bilinear => 1,
        ScaleFilter.Bicubic => 2,
        ScaleFilter.Lanczos => 3,
        _ => throw new ArgumentOutOfRangeException(nameof(filter), filter, "unknown scale filter"),
    };

    public static double Kernel(ScaleFilter filter, double x)
    {
        x = Math.Abs(x);
        switch (filter)
        {
            case ScaleFilter.Bilinear:
                return x < 1 ? 1 - x : 0;
            case ScaleFilter.Bicubic:
                const double a = -0.5;
                return x < 1 ? ((a + 2) * x - (a + 3)) * x * x + 1
                    : x < 2 ? ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
                    : 0;
            case ScaleFilter.Lanczos:
                if (x < 1e-9)
                {
                    return 1;
                }
                return x < 3 ? 3 * Math.Sin(Math.PI * x) * Math.Sin(Math.PI * x / 3) / (Math.PI * Math.PI * x * x) : 0;
            default:
                throw new ArgumentOutOfRangeException(nameof(filter), filter, "unknown scale filter");
        }
    }

    public static ResampleTable Build(int source, int destination, ScaleFilter filter)
    {
        if (source <= 0 || destination <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(source), $"sizes must be positive: source={source} destination={destination}");
        }
        var ratio = (double)source / destination;
        var stretch = Math.Max(1.0, ratio);
        var support = Support(filter) * stretch;
        var taps = (int)Math.Ceiling(support) * 2;
        var index = new int[destination * taps];
        var weights = new float[destination * taps];
        var w = new double[taps];
        for (var i = 0; i < destination; i++)
        {
            var centre = (i + 0.5) * ratio - 0.5;
            var first = (int)Math.Floor(centre - support) + 1;
            double sum = 0;
            for (var k = 0; k < taps; k++)
            {
                w[k] = Kernel(filter, (first + k - centre) / stretch);
                sum += w[k];
            }
            for (var k = 0; k < taps; k++)
            {
                index[i * taps + k] = Math.Clamp(first + k, 0, source - 1);
                weights[i * taps + k] = (float)(w[k] / sum);
            }
        }
        return new ResampleTable(taps, index, weights);
    }
}
