using Aqs.Shared.Frames;

namespace Aqs.Kernel.Preprocess.Sources;

/// <summary>
/// Plays part of a source, optionally over and over: passes over <see cref="SourceOptions.StartFrame"/> frames,
/// stops after <see cref="SourceOptions.FrameLimit"/> frames, and with <see cref="SourceOptions.Loop"/> rewinds at the
/// end. Frame numbers and timestamps keep rising across passes (a restart is flagged as a scene cut and keyframe),
/// so the pacer and the encoder see one continuous stream. With Loop, a <see cref="SourceException"/> after at least
/// one good frame of the pass ends that pass instead of the run: it is counted in <see cref="SkippedErrors"/>.
/// A pass that breaks before its first frame still throws (nothing would ever play).
/// </summary>
public sealed class LoopingSource : IFrameSource
{
    private readonly IFrameSource _inner;
    private readonly IRewindableSource? _rewindable;
    private readonly SourceOptions _options;
    private readonly long _frameDurationNs;
    private bool _started;
    private bool _restarted;
    private long _delivered;
    private long _passDelivered;
    private long _passFirstPts;
    private long _ptsOffset;
    private long _lastPts = -1;

    public LoopingSource(IFrameSource inner, SourceOptions options)
    {
        options.Validate();
        _inner = inner;
        _options = options;
        _rewindable = inner as IRewindableSource;
        if (_rewindable is null && (options.Loop || options.StartFrame > 0))
        {
            throw new SourceException($"this input ({inner.GetType().Name}) cannot loop or start at a later frame");
        }
        _frameDurationNs = (long)Math.Round(1e9 / inner.Fps);
    }

    public FrameLayout Layout => _inner.Layout;
    public double Fps => _inner.Fps;
    public ColorDescription Color => _inner.Color;
    public bool IsLive => _inner.IsLive;

    /// <summary>Broken passes skipped while looping.</summary>
    public int SkippedErrors { get; private set; }

    /// <summary>The message of the last skipped error, for the log.</summary>
    public string? LastSkippedError { get; private set; }

    /// <summary>Completed passes (restarts) so far.</summary>
    public int Restarts { get; private set; }

    public IFrameSource Inner => _inner;

    public bool TryReadFrame(Span<byte> destination, out SourceFrameInfo info)
    {
        info = default;
        if (_options.FrameLimit > 0 && _delivered >= _options.FrameLimit)
        {
            return false;
        }
        if (!_started)
        {
            _started = true;
            SkipStart();
        }
        while (true)
        {
            bool ok;
            SourceFrameInfo inner;
            try
            {
                ok = _inner.TryReadFrame(destination, out inner);
            }
            catch (SourceException e) when (_options.Loop && _passDelivered > 0)
            {
                SkippedErrors++;
                LastSkippedError = e.Message;
                ok = false;
                inner = default;
            }
            if (ok)
            {
                if (_passDelivered == 0)
                {
                    _passFirstPts = inner.PtsNs;
                }
                var pts = _ptsOffset + (inner.PtsNs - _passFirstPts);
                var restart = _restarted && _passDelivered == 0;
                info = new SourceFrameInfo(_delivered, pts, inner.SceneCut || restart, inner.Keyframe || restart || _delivered == 0);
                _lastPts = pts;
                _passDelivered++;
                _delivered++;
                return true;
            }
            if (!_options.Loop || _passDelivered == 0)
            {
                return false;
            }
            _ptsOffset = _lastPts + _frameDurationNs;
            _passDelivered = 0;
            _restarted = true;
            Restarts++;
            _rewindable!.Rewind();
            SkipStart();
        }
    }

    private void SkipStart()
    {
        for (long i = 0; i < _options.StartFrame; i++)
        {
            if (!_rewindable!.TrySkipFrame())
            {
                throw new SourceException($"start frame {_options.StartFrame} is past the end of the input ({i} frames)");
            }
        }
    }

    public void Dispose() => _inner.Dispose();
}
