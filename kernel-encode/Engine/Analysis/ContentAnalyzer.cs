using Aqs.Engine.Analysis.Gpu;
using ILGPU.Runtime;

namespace Aqs.Engine.Analysis;

/// <summary>
/// Per-frame content analysis: one pass over the luma (8x8 block sums, on the GPU when one is given, else AVX2 on
/// the CPU) and cheap arithmetic on the block grid. Cheap measures: motion (block SAD against the previous frame),
/// temporal and spatial complexity (block variance). Advanced: coarse gradient energy, a noise estimate, and a
/// scene-change test on the block-mean histogram besides the motion jump. Frames of a new size restart the history.
/// Not thread-safe; allocates only when the frame size changes.
/// </summary>
public sealed class ContentAnalyzer : IDisposable
{
    private const int HistoryFrames = 30;
    private const int HistogramBins = 32;

    private readonly GpuBlockStats? _gpu;
    private BlockStats? _current;
    private BlockStats? _previous;
    private readonly double[] _recentMotion = new double[HistoryFrames];
    private int _recentCount;
    private int _recentNext;
    private readonly int[] _histogram = new int[HistogramBins];
    private readonly int[] _previousHistogram = new int[HistogramBins];
    private readonly int[] _noiseBins = new int[256];
    private bool _haveHistogram;

    /// <param name="accelerator">Runs the block pass there (CUDA, OpenCL or ILGPU's CPU accelerator); null: the CPU SIMD path.</param>
    public ContentAnalyzer(bool advanced, Accelerator? accelerator = null)
    {
        Advanced = advanced;
        _gpu = accelerator is null ? null : new GpuBlockStats(accelerator);
    }

    public bool Advanced { get; set; }

    /// <summary>Where the block pass runs, in words ("cpu avx2", "Cuda: NVIDIA H100 ...").</summary>
    public string Device => _gpu?.Device ?? (System.Runtime.Intrinsics.X86.Avx2.IsSupported ? "cpu avx2" : "cpu scalar");

    public ContentMetrics Analyze(in LumaPlane luma)
    {
        var grid = BlockGrid.For(luma.Width, luma.Height);
        if (_current is null || _current.Grid != grid)
        {
            _current = new BlockStats(grid);
            _previous = null;
            _recentCount = 0;
            _haveHistogram = false;
        }
        if (_gpu is not null)
        {
            _gpu.Compute(luma, _current);
        }
        else
        {
            BlockStatsCpu.Compute(luma, _current);
        }
        var metrics = Derive(_current, _previous, luma.BitDepth);
        (_previous, _current) = (_current, _previous ?? new BlockStats(grid));
        return metrics;
    }

    /// <summary>Every measure from the block sums of this frame and the last; the same arithmetic whichever device summed.</summary>
    internal ContentMetrics Derive(BlockStats current, BlockStats? previous, int bitDepth)
    {
        var n = current.Grid.Count;
        if (n == 0)
        {
            return new ContentMetrics(0, 0, 0, 0, 0, false, 0, Advanced);
        }
        // Sums are of 64 samples at the source depth: one scale turns them into 8-bit sample units.
        var toEight = 1.0 / (1 << (bitDepth - 8));
        var meanScale = toEight / BlockGrid.Samples;
        double spatial = 0;
        for (var i = 0; i < n; i++)
        {
            spatial += Math.Sqrt(BlockVariance(current, i));
        }
        spatial = spatial * toEight / n;

        double motion = 0, temporal = 0;
        if (previous is not null)
        {
            long absolute = 0;
            double squares = 0;
            for (var i = 0; i < n; i++)
            {
                long d = current.Sum[i] - previous.Sum[i];
                absolute += Math.Abs(d);
                squares += (double)d * d;
            }
            motion = absolute * meanScale / n;
            var meanDelta = absolute / (double)n;
            temporal = Math.Sqrt(Math.Max(0, squares / n - meanDelta * meanDelta)) * meanScale;
        }

        double gradient = 0, noise = 0;
        var histogramCut = false;
        if (Advanced)
        {
            gradient = Gradient(current) * meanScale;
            noise = NoiseSigma(current, toEight);
            histogramCut = HistogramJump(current, bitDepth);
        }

        var typical = RecentMotion();
        var score = motion / (typical + 2.0);
        // A cut changes most of the picture at once: large block change far above the recent level.
        var cut = previous is not null && ((motion > 20 && score > 3) || (histogramCut && motion > 8 && score > 1.5));
        Remember(motion);
        return new ContentMetrics(motion, temporal, spatial, gradient, noise, cut, score, Advanced);
    }

    private static double BlockVariance(BlockStats s, int i)
    {
        double sum = s.Sum[i];
        return Math.Max(0, (s.SumSquares[i] - sum * sum / BlockGrid.Samples) / BlockGrid.Samples);
    }

    private static double Gradient(BlockStats s)
    {
        var g = s.Grid;
        long total = 0;
        long count = 0;
        for (var y = 0; y + 1 < g.BlocksY; y++)
        {
            for (var x = 0; x + 1 < g.BlocksX; x++)
            {
                var i = y * g.BlocksX + x;
                total += Math.Abs(s.Sum[i + 1] - s.Sum[i]) + Math.Abs(s.Sum[i + g.BlocksX] - s.Sum[i]);
                count++;
            }
        }
        return count == 0 ? 0 : (double)total / count;
    }

    /// <summary>The 10th percentile of block standard deviations, from a histogram in quarter steps (8-bit units).</summary>
    private double NoiseSigma(BlockStats s, double toEight)
    {
        Array.Clear(_noiseBins);
        var n = s.Grid.Count;
        for (var i = 0; i < n; i++)
        {
            var sigma = Math.Sqrt(BlockVariance(s, i)) * toEight;
            _noiseBins[Math.Min(_noiseBins.Length - 1, (int)(sigma * 4))]++;
        }
        var wanted = Math.Max(1, n / 10);
        var seen = 0;
        for (var b = 0; b < _noiseBins.Length; b++)
        {
            seen += _noiseBins[b];
            if (seen >= wanted)
            {
                return (b + 0.5) / 4;
            }
        }
        return _noiseBins.Length / 4.0;
    }

    /// <summary>True when the block-mean histogram moved by more than half its mass since the last frame.</summary>
    private bool HistogramJump(BlockStats s, int bitDepth)
    {
        Array.Copy(_histogram, _previousHistogram, HistogramBins);
        Array.Clear(_histogram);
        var shift = bitDepth + 6 - 5; // a block sum holds 64 samples of bitDepth bits; keep 5 bits
        var n = s.Grid.Count;
        for (var i = 0; i < n; i++)
        {
            _histogram[Math.Min(HistogramBins - 1, s.Sum[i] >> shift)]++;
        }
        var had = _haveHistogram;
        _haveHistogram = true;
        if (!had)
        {
            return false;
        }
        long moved = 0;
        for (var b = 0; b < HistogramBins; b++)
        {
            moved += Math.Abs(_histogram[b] - _previousHistogram[b]);
        }
        return moved > n; // L1 distance over 2n: more than half the blocks changed bins
    }

    private double RecentMotion()
    {
        if (_recentCount == 0)
        {
            return 0;
        }
        double total = 0;
        for (var i = 0; i < _recentCount; i++)
        {
            total += _recentMotion[i];
        }
        return total / _recentCount;
    }

    private void Remember(double motion)
    {
        _recentMotion[_recentNext] = motion;
        _recentNext = (_recentNext + 1) % HistoryFrames;
        _recentCount = Math.Min(HistoryFrames, _recentCount + 1);
    }

    public void Dispose() => _gpu?.Dispose();
}
