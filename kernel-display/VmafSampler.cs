using Aqs.Shared.Frames;
using Aqs.Shared.Gpu;
using Aqs.Shared.Quality;
using Aqs.Shared.Quality.Vmaf;
using Aqs.Shared.Timing;

namespace Aqs.Kernel.Display;

/// <summary>
/// Scores VMAF on a worker thread beside the display loop, which only copies two luma planes per offered frame.
/// VMAF costs more than decoding on a CPU, so the worker takes runs of consecutive frames: while it keeps up every
/// offered frame is scored; when its queue is full, frames are skipped until it has drained, and the next accepted
/// frame starts a new run. Within a run the scores are exactly libvmaf's for that sequence of frames (a run's
/// first frame has motion 0 and its last frame's motion2 is its own motion, as libvmaf scores a sequence's ends).
/// The worker may use only a share of one core (the encoder and decoder need the rest on small machines): once a
/// run of at least <see cref="MinimumRun"/> frames has kept it busy longer than that share of the run's wall time,
/// the run ends and no frame is taken until the share is met again.
/// </summary>
public sealed class VmafSampler : IDisposable
{
    private const int QueueSlots = 4;

    /// <summary>Runs are not cut for the core share before this many frames (each run's first frame has no motion).</summary>
    public const int MinimumRun = 8;

    private readonly VmafModel _model;
    private readonly FrameLayout _layout;
    private readonly int _rowBytes;
    private readonly LumaPair[] _slots = new LumaPair[QueueSlots];
    private readonly Queue<int> _free = new(QueueSlots);
    private readonly Queue<int> _ready = new(QueueSlots);
    private readonly long[] _runFrameIds = new long[64];
    private readonly object _gate = new();
    private readonly Thread _worker;
    private readonly double _coreShare;
    private long _runStartNs;
    private long _runBusyNs;
    private int _runFrames;
    private long _restUntilNs;
    private bool _warm;

    /// <summary>A rest never lasts longer than this, so the score seen by PQM is never older.</summary>
    private const long MaximumRestNs = 1_000_000_000;
    private bool _draining;
    private bool _startRun = true;
    private bool _workerBusy;
    private bool _stopping;
    private IVmafScorer? _metric;
    private readonly GpuContext? _gpu;

    private long _skipped;
    private long _scored;
    private double _sum;
    private long _latestFrameId = -1;
    private double _latest = double.NaN;
    private readonly List<float> _scores = [];
    private double _windowSum;
    private long _windowCount;
    private string? _failure;

    /// <param name="coreShare">Most of one core the worker may use, over (0, 1]; 1 scores every frame it can.</param>
    /// <param name="gpu">Scores on this accelerator when given (then it keeps up with every frame).</param>
    public VmafSampler(VmafModel model, FrameLayout layout, double coreShare = 1.0, GpuContext? gpu = null)
    {
        _gpu = gpu;
        if (!(coreShare > 0 && coreShare <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(coreShare), coreShare, "VMAF core share must be over 0 and at most 1");
        }
        _coreShare = coreShare;
        _model = model;
        _layout = layout;
        _rowBytes = layout.Width * layout.Format.BytesPerSample();
        for (var i = 0; i < QueueSlots; i++)
        {
            _slots[i] = new LumaPair(_rowBytes * layout.Height);
            _free.Enqueue(i);
        }
        // Any failure ends scoring with one reason (Failure); the display loop goes on without VMAF.
        // Below the decoder: when the cores are short, the viewer's frames come before their score.
        _worker = new Thread(Work) { IsBackground = true, Name = "vmaf", Priority = ThreadPriority.BelowNormal };
        _worker.Start();
    }

    public FrameLayout Layout => _layout;

    /// <summary>Frames given a final VMAF score.</summary>
    public long Scored => Interlocked.Read(ref _scored);

    /// <summary>Frames offered while the worker was behind, left unscored.</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    /// <summary>Mean of all final scores; NaN before the first.</summary>
    public double Mean
    {
        get
        {
            lock (_gate)
            {
                return _scored == 0 ? double.NaN : _sum / _scored;
            }
        }
    }

    private const int MaxKeptScores = 1 << 20;

    /// <summary>The <paramref name="percent"/>-th percentile of the final scores (nearest rank); NaN before the first.</summary>
    public double Percentile(double percent)
    {
        lock (_gate)
        {
            if (_scores.Count == 0)
            {
                return double.NaN;
            }
            var sorted = _scores.ToArray();
            Array.Sort(sorted);
            var rank = (int)Math.Ceiling(percent / 100.0 * sorted.Length) - 1;
            return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
        }
    }

    /// <summary>Sum and count of the scores made final since the last call (a feedback window).</summary>
    public (double Sum, long Count) TakeWindow()
    {
        lock (_gate)
        {
            var window = (_windowSum, _windowCount);
            _windowSum = 0;
            _windowCount = 0;
            return window;
        }
    }

    /// <summary>Why scoring stopped, if the worker failed (it reports once and stays idle).</summary>
    public string? Failure => Volatile.Read(ref _failure);

    /// <summary>The newest final score and the frame it belongs to; false before the first.</summary>
    public bool TryGetLatest(out long frameId, out double vmaf)
    {
        lock (_gate)
        {
            frameId = _latestFrameId;
            vmaf = _latest;
            return frameId >= 0;
        }
    }

    /// <summary>
    /// Hands one frame pair to the worker if it has room, copying the luma planes; frames must come in display
    /// order. Returns false when the frame was skipped.
    /// </summary>
    public bool Offer(long frameId, in PlanarFrame reference, in PlanarFrame distorted)
    {
        if (reference.Layout != _layout || distorted.Layout != _layout)
        {
            throw new ArgumentException($"VMAF sampler: frames must be {_layout}");
        }
        int slot;
        bool startsRun;
        lock (_gate)
        {
            if (_failure is not null)
            {
                return false;
            }
            var now = MonotonicClock.NowNs;
            if (!_draining && !_startRun && _runFrames >= MinimumRun && _runBusyNs > _coreShare * (now - _runStartNs))
            {
                _draining = true;
            }
            if (_draining && (_ready.Count > 0 || _workerBusy))
            {
                _skipped++;
                return false;
            }
            if (_draining)
            {
                // Rest until the run's busy time is the share of the time since it began.
                _draining = false;
                _startRun = true;
                _restUntilNs = Math.Min(_runStartNs + (long)(_runBusyNs / _coreShare), now + MaximumRestNs);
            }
            if (_startRun && now < _restUntilNs)
            {
                _skipped++;
                return false;
            }
            if (_startRun)
            {
                _runStartNs = now;
                _runBusyNs = 0;
                _runFrames = 0;
            }
            if (_free.Count == 0)
            {
                _draining = true;
                _skipped++;
                return false;
            }
            slot = _free.Dequeue();
            startsRun = _startRun;
            _startRun = false;
        }
        var pair = _slots[slot];
        CopyLuma(reference, pair.Reference);
        CopyLuma(distorted, pair.Distorted);
        pair.FrameId = frameId;
        pair.StartsRun = startsRun;
        lock (_gate)
        {
            _ready.Enqueue(slot);
            Monitor.Pulse(_gate);
        }
        return true;
    }

    /// <summary>Waits until every accepted frame is scored (tests and the end of a stream).</summary>
    public void Drain()
    {
        lock (_gate)
        {
            while ((_ready.Count > 0 || _workerBusy) && _failure is null)
            {
                Monitor.Wait(_gate, 50);
            }
        }
        FinishRun();
    }

    public void Dispose()
    {
        Drain();
        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
        }
        _worker.Join();
        _metric?.Dispose();
    }

    private void Work()
    {
        // CUDA work is issued from this thread: the accelerator's context must be current on it.
        _gpu?.Accelerator.Bind();
        while (true)
        {
            int slot;
            lock (_gate)
            {
                while (_ready.Count == 0 && !_stopping)
                {
                    Monitor.Wait(_gate);
                }
                if (_ready.Count == 0)
                {
                    return;
                }
                slot = _ready.Dequeue();
                _workerBusy = true;
            }
            var started = MonotonicClock.NowNs;
            try
            {
                Score(_slots[slot]);
            }
            catch (Exception ex)
            {
                Volatile.Write(ref _failure, $"VMAF stopped: {ex.Message}");
            }
            lock (_gate)
            {
                // The very first frame pays for JIT and buffers; charging it would rest the worker for seconds.
                _runBusyNs += _warm ? MonotonicClock.NowNs - started : 0;
                _warm = true;
                _runFrames++;
                _free.Enqueue(slot);
                _workerBusy = false;
                Monitor.PulseAll(_gate);
            }
        }
    }

    private void Score(LumaPair pair)
    {
        if (pair.StartsRun || _metric is null)
        {
            FinishRun();
            _metric ??= VmafScorers.Create(_model, _layout.Width, _layout.Height, _layout.Format.BitDepth(), _gpu);
        }
        _runFrameIds[_metric.FrameCount % _runFrameIds.Length] = pair.FrameId;
        _metric.ComputeFeatures(pair.Reference, _rowBytes, pair.Distorted, _rowBytes);
        TakeScores(_metric);
    }

    /// <summary>
    /// Ends the current run: its last frame's score becomes final, and the scorer starts a new sequence with the
    /// same buffers. Only the worker or a drained caller.
    /// </summary>
    private void FinishRun()
    {
        lock (_gate)
        {
            if (_metric is null || _metric.FrameCount == 0)
            {
                return;
            }
            _metric.Flush();
            TakeScores(_metric);
            _metric.Restart();
        }
    }

    /// <summary>Where the scores are computed, once the first frame came.</summary>
    public string? Device => _metric?.Device;

    private void TakeScores(IVmafScorer metric)
    {
        while (metric.TryTakeScore(out var index, out var vmaf))
        {
            lock (_gate)
            {
                _scored++;
                _sum += vmaf;
                _windowSum += vmaf;
                if (_scores.Count < MaxKeptScores)
                {
                    _scores.Add((float)vmaf);
                }
                _windowCount++;
                _latest = vmaf;
                _latestFrameId = _runFrameIds[index % _runFrameIds.Length];
            }
        }
    }

    private void CopyLuma(in PlanarFrame frame, byte[] destination)
    {
        for (var y = 0; y < _layout.Height; y++)
        {
            frame.Row(0, y)[.._rowBytes].CopyTo(destination.AsSpan(y * _rowBytes, _rowBytes));
        }
    }

    private sealed class LumaPair(int bytes)
    {
        public readonly byte[] Reference = new byte[bytes];
        public readonly byte[] Distorted = new byte[bytes];
        public long FrameId;
        public bool StartsRun;
    }
}
