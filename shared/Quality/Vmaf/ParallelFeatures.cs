namespace Aqs.Shared.Quality.Vmaf;

/// <summary>
/// The features of one frame computed on several threads, with the same results as the one-thread path: ADM,
/// motion, and VIF cut into row bands (its scale-0 statistic and scale-0 subsample, which are most of VIF's work;
/// the coarse scales 1..3 run as one job as soon as the last subsample band is done). VIF band sums are integers,
/// so their total does not depend on the order in which bands finish. The calling thread works too; the other
/// threads are started once and wait on a semaphore between frames, so a frame allocates nothing.
/// </summary>
internal sealed class ParallelFeatures : IDisposable
{
    private readonly int _width;
    private readonly int _height;
    private readonly int _bands;
    private readonly IntegerVif[] _statisticBands;
    private readonly IntegerVif[] _subsampleBands;
    private readonly IntegerVif _coarse;              // owns the scale-1 images the subsample bands write
    private readonly IntegerVif.VifSums[] _bandSums;
    private readonly IntegerAdm _adm;
    private readonly IntegerMotion _motion;
    private readonly Thread[] _workers;
    private readonly SemaphoreSlim _start = new(0);
    private readonly ManualResetEventSlim _done = new(false);
    private readonly int _jobCount;

    // One frame's inputs and outputs; written by the caller before the jobs are released, read after _done.
    private ushort[] _reference = [];
    private ushort[] _distorted = [];
    private ushort[]? _previous;
    private readonly double[] _vifScores = new double[4];
    private double _admScore;
    private double _motionScore;

    private int _nextJob;
    private int _pendingJobs;
    private int _pendingSubsampleBands;
    private Exception? _failure;
    private volatile bool _stopping;

    public ParallelFeatures(int width, int height, int bitDepth, bool simd, int threads)
    {
        _width = width;
        _height = height;
        // Bands of at least 16 scale-1 rows keep the per-band vertical filter overhead (8 rows each side) small.
        _bands = Math.Clamp(threads, 1, Math.Max(1, height / 32));
        _statisticBands = new IntegerVif[_bands];
        _subsampleBands = new IntegerVif[_bands];
        for (var b = 0; b < _bands; b++)
        {
            _statisticBands[b] = new IntegerVif(width, height, bitDepth, simd, images: false);
            _subsampleBands[b] = new IntegerVif(width, height, bitDepth, simd, images: false);
        }
        _coarse = new IntegerVif(width, height, bitDepth, simd);
        _bandSums = new IntegerVif.VifSums[_bands];
        _adm = new IntegerAdm(width, height, bitDepth, simd);
        _motion = new IntegerMotion(width, height, bitDepth, simd);
        _jobCount = 2 + 2 * _bands;
        _workers = new Thread[threads - 1];
        for (var i = 0; i < _workers.Length; i++)
        {
            _workers[i] = new Thread(WorkerLoop) { IsBackground = true, Name = $"vmaf-{i + 1}" };
            _workers[i].Start();
        }
    }

    /// <summary>Features of one frame pair; <paramref name="previous"/> null for the first frame (motion 0).</summary>
    public void Compute(ushort[] reference, ushort[] distorted, ushort[]? previous, Span<double> vifScores, out double adm, out double motion)
    {
        _reference = reference;
        _distorted = distorted;
        _previous = previous;
        _failure = null;
        _pendingSubsampleBands = _bands;
        _pendingJobs = _jobCount;
        _done.Reset();
        Volatile.Write(ref _nextJob, 0);
        _start.Release(_workers.Length);
        RunJobs();
        _done.Wait();
        if (_failure is not null)
        {
            throw new InvalidOperationException("VMAF: a feature thread failed", _failure);
        }
        var sums = new IntegerVif.VifSums();
        for (var b = 0; b < _bands; b++)
        {
            sums.Add(_bandSums[b]);
        }
        _vifScores[0] = IntegerVif.Score(sums);
        _vifScores.CopyTo(vifScores);
        adm = _admScore;
        motion = _motionScore;
    }

    public void Dispose()
    {
        _stopping = true;
        _start.Release(_workers.Length);
        foreach (var t in _workers)
        {
            t.Join();
        }
        _start.Dispose();
        _done.Dispose();
    }

    private void WorkerLoop()
    {
        while (true)
        {
            _start.Wait();
            if (_stopping)
            {
                return;
            }
            RunJobs();
        }
    }

    private void RunJobs()
    {
        while (true)
        {
            var job = Interlocked.Increment(ref _nextJob) - 1;
            if (job >= _jobCount)
            {
                return;
            }
            try
            {
                Run(job);
            }
            catch (Exception e)
            {
                _failure = e;
            }
            if (Interlocked.Decrement(ref _pendingJobs) == 0)
            {
                _done.Set();
            }
        }
    }

    // Longest jobs first: ADM, then the VIF bands, motion last.
    private void Run(int job)
    {
        if (job == 0)
        {
            _admScore = _adm.Compute(_reference, _distorted);
            return;
        }
        if (job == _jobCount - 1)
        {
            _motionScore = _previous is null ? 0.0 : _motion.Score(_previous, _reference);
            return;
        }
        var band = (job - 1) % _bands;
        if (job - 1 < _bands)
        {
            var (from, to) = Band(band, _height);
            _bandSums[band] = _statisticBands[band].StatisticRows(_reference, _distorted, _width, _height, 0, from, to);
            return;
        }
        var (from2, to2) = Band(band, _height / 2);
        _subsampleBands[band].SubsampleRows(_reference, _distorted, _width, _height, 0, from2, to2, _coarse.HalfReference, _coarse.HalfDistorted);
        if (Interlocked.Decrement(ref _pendingSubsampleBands) == 0)
        {
            _coarse.ComputeCoarseScales(_vifScores);
        }
    }

    private (int From, int To) Band(int band, int rows) => (band * rows / _bands, (band + 1) * rows / _bands);
}
