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

    /// <summary>
    /// Every measure from the block sums of this frame and the last, in one pass over the blocks (a 4K frame has
    /// 130 000); the same arithmetic whichever device summed.
    /// </summary>
    internal ContentMetrics Derive(BlockStats current, BlockStats? previous, int bitDepth)
    {
        var grid = current.Grid;
        var n = grid.Count;
        if (n == 0)
        {
            return new ContentMetrics(0, 0, 0, 0, 0, false, 0, Advanced);
        }
        // Sums are of 64 samples at the source depth: one scale turns them into 8-bit sample units.
        var toEight = 1.0 / (1 << (bitDepth - 8));
        var meanScale = toEight / BlockGrid.Samples;
        var advanced = Advanced;
        var shift = bitDepth + 6 - 5; // a block sum holds 64 samples of bitDepth bits; the histogram keeps 5 bits
        if (advanced)
        {
            Array.Copy(_histogram, _previousHistogram, HistogramBins);
            Array.Clear(_histogram);
            Array.Clear(_noiseBins);
        }
        var sum = current.Sum;
        var squares = current.SumSquares;
        var before = previous?.Sum;
        double spatial = 0, deltaSquares = 0;
        long absolute = 0, gradient = 0, gradientCount = 0;
        var noiseScale = 4 * toEight / BlockGrid.Samples;
        var noiseBins = _noiseBins.AsSpan();
        var histogram = _histogram.AsSpan();
        var lastNoiseBin = noiseBins.Length - 1;
        for (var by = 0; by < grid.BlocksY; by++)
        {
            var row = by * grid.BlocksX;
            for (var bx = 0; bx < grid.BlocksX; bx++)
            {
                var i = row + bx;
                long s = sum[i];
                // 64² · variance, exactly in integers.
                var scaledVariance = Math.Max(0, BlockGrid.Samples * (long)squares[i] - s * s);
                var sigma = Math.Sqrt(scaledVariance);
                spatial += sigma;
                if (before is not null)
                {
                    long d = s - before[i];
                    absolute += Math.Abs(d);
                    deltaSquares += (double)d * d;
                }
                if (advanced)
                {
                    noiseBins[Math.Min(lastNoiseBin, (int)(sigma * noiseScale))]++;
                    histogram[Math.Min(HistogramBins - 1, (int)(s >> shift))]++;
                    if (bx + 1 < grid.BlocksX && by + 1 < grid.BlocksY)
                    {
                        gradient += Math.Abs(sum[i + 1] - s) + Math.Abs(sum[i + grid.BlocksX] - s);
                        gradientCount++;
                    }
                }
            }
        }
        spatial = spatial * toEight / BlockGrid.Samples / n;

        double motion = 0, temporal = 0;
        if (before is not null)
        {
            motion = absolute * meanScale / n;
            var meanDelta = absolute / (double)n;
            temporal = Math.Sqrt(Math.Max(0, deltaSquares / n - meanDelta * meanDelta)) * meanScale;
        }
        double gradientEnergy = 0, noise = 0;
        var histogramCut = false;
        if (advanced)
        {
            gradientEnergy = gradientCount == 0 ? 0 : (double)gradient / gradientCount * meanScale;
            noise = NoisePercentile(n);
            histogramCut = HistogramJump(n);
        }

        var typical = RecentMotion();
        var score = motion / (typical + 2.0);
        // A cut changes most of the picture at once: large block change far above the recent level.
        var cut = previous is not null && ((motion > 20 && score > 3) || (histogramCut && motion > 8 && score > 1.5));
        Remember(motion);
        return new ContentMetrics(motion, temporal, spatial, gradientEnergy, noise, cut, score, advanced);
    }

    /// <summary>The 10th percentile of block standard deviations from their histogram in quarter steps (8-bit units).</summary>
    private double NoisePercentile(int blocks)
    {
        var wanted = Math.Max(1, blocks / 10);
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

    /// <summary>True when the block-mean histogram (filled by <see cref="Derive"/>) moved by more than half its mass since the last frame.</summary>
    private bool HistogramJump(int blocks)
    {
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
        return moved > blocks; // L1 distance over 2n: more than half the blocks changed bins
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
