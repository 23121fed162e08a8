using Aqs.Shared.Frames;

namespace Aqs.Shared.Quality;

/// <summary>
/// Pools per-frame PSNR as FFmpeg's end-of-run <c>PSNR y:… average:… min:… max:…</c> line does: each pooled
/// value is the PSNR of the MSE averaged over frames (not the mean of per-frame PSNR); min/max are the
/// PSNR of the largest/smallest per-frame average MSE.
/// </summary>
public sealed class PsnrPool
{
    private readonly int _max;
    private readonly int _averageMax;
    private double _mseY, _mseU, _mseV, _mse;
    private double _minMse = double.PositiveInfinity;
    private double _maxMse = double.NegativeInfinity;

    public PsnrPool(FrameLayout layout)
    {
        var metric = new PsnrMetric(layout, SimdLevel.Scalar);
        _max = metric.Max;
        _averageMax = metric.AverageMax;
    }

    /// <summary>Frames added so far.</summary>
    public long Count { get; private set; }

    public void Add(PsnrResult frame)
    {
        _mseY += frame.MseY;
        _mseU += frame.MseU;
        _mseV += frame.MseV;
        _mse += frame.MseAverage;
        _minMse = Math.Min(_minMse, frame.MseAverage);
        _maxMse = Math.Max(_maxMse, frame.MseAverage);
        Count++;
    }

    /// <summary>The pooled values (PSNR of frame-averaged MSE, and the averaged MSEs).</summary>
    public PsnrResult Result
    {
        get
        {
            RequireFrames();
            double n = Count;
            return new PsnrResult(
                Decibels.Psnr(_mseY / n, _max), Decibels.Psnr(_mseU / n, _max), Decibels.Psnr(_mseV / n, _max),
                Decibels.Psnr(_mse / n, _averageMax),
                _mseY / n, _mseU / n, _mseV / n, _mse / n);
        }
    }

    /// <summary>FFmpeg's <c>min:</c>, the PSNR of the worst frame's average MSE.</summary>
    public double MinAverage
    {
        get
        {
            RequireFrames();
            return Decibels.Psnr(_maxMse, _averageMax);
        }
    }

    /// <summary>FFmpeg's <c>max:</c>, the PSNR of the best frame's average MSE.</summary>
    public double MaxAverage
    {
        get
        {
            RequireFrames();
            return Decibels.Psnr(_minMse, _averageMax);
        }
    }

    private void RequireFrames()
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("psnr pool: no frames were added");
        }
    }
}
