namespace Aqs.Shared.Quality.Vmaf;

/// <summary>
/// What turns per-frame features into final per-frame scores, wherever the features were computed: libvmaf's motion2
/// rule (a frame's motion2 is the smaller of its motion and the next frame's; the first frame's is 0, the last
/// frame's is its own motion), the model's prediction, a queue of final scores in frame order, and the pooled mean.
/// </summary>
internal sealed class VmafSequence
{
    private readonly VmafModel _model;
    private VmafFeatures _pending;        // features of frame Count - 1, motion2 not yet final
    private double _pendingMotion;
    private bool _finished;
    private (int Index, double Score, VmafFeatures Features)[] _queue = new (int, double, VmafFeatures)[8];
    private int _queueHead, _queueCount;
    private double _scoreSum;
    private int _scoreCount;

    public VmafSequence(VmafModel model) => _model = model;

    /// <summary>Frames added since the sequence began.</summary>
    public int Count { get; private set; }

    /// <summary>True after <see cref="Finish"/>, until <see cref="Reset"/>.</summary>
    public bool Finished => _finished;

    public double PooledMean => _scoreCount == 0 ? double.NaN : _scoreSum / _scoreCount;

    public int ScoredFrames => _scoreCount;

    /// <summary>Adds the next frame's features (its motion against the previous reference; ignored for the first
    /// frame) and returns them with a provisional motion2: the value it keeps if this frame turns out to be the last.</summary>
    public VmafFeatures Add(double adm, double motion, ReadOnlySpan<double> vif)
    {
        if (Count == 0)
        {
            motion = 0.0;
        }
        else
        {
            var previousMotion2 = Count == 1 ? 0.0 : Math.Min(_pendingMotion, motion);
            Finalise(Count - 1, _pending with { Motion2 = previousMotion2 });
        }
        _pending = new VmafFeatures(adm, motion, vif[0], vif[1], vif[2], vif[3]);
        _pendingMotion = motion;
        Count++;
        return _pending;
    }

    /// <summary>The features <see cref="Add"/> returned last.</summary>
    public VmafFeatures Last => _pending;

    /// <summary>Ends the sequence: the last frame's score becomes final with motion2 = its own motion.</summary>
    public void Finish()
    {
        if (_finished)
        {
            return;
        }
        _finished = true;
        if (Count > 0)
        {
            Finalise(Count - 1, _pending);
        }
    }

    public bool TryTake(out int frameIndex, out double vmaf, out VmafFeatures features)
    {
        if (_queueCount == 0)
        {
            frameIndex = -1;
            vmaf = double.NaN;
            features = default;
            return false;
        }
        (frameIndex, vmaf, features) = _queue[_queueHead];
        _queueHead = (_queueHead + 1) % _queue.Length;
        _queueCount--;
        return true;
    }

    /// <summary>Begins a new sequence: indices from 0, pooled mean from nothing, untaken scores dropped.</summary>
    public void Reset()
    {
        Count = 0;
        _pending = default;
        _pendingMotion = 0;
        _finished = false;
        _queueHead = 0;
        _queueCount = 0;
        _scoreSum = 0;
        _scoreCount = 0;
    }

    private void Finalise(int index, in VmafFeatures features)
    {
        var score = _model.Predict(features);
        _scoreSum += score;
        _scoreCount++;
        if (_queueCount == _queue.Length)
        {
            // Only when the caller does not take scores: grow rather than lose them.
            var bigger = new (int, double, VmafFeatures)[_queue.Length * 2];
            for (var i = 0; i < _queueCount; i++)
            {
                bigger[i] = _queue[(_queueHead + i) % _queue.Length];
            }
            _queue = bigger;
            _queueHead = 0;
        }
        _queue[(_queueHead + _queueCount) % _queue.Length] = (index, score, features);
        _queueCount++;
    }
}
