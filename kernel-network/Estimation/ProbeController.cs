namespace Aqs.Kernel.Network.Estimation;

/// <summary>
/// When to probe and how hard, after libwebrtc's ProbeController: at start-up two clusters at 3× and 6× the
/// start rate; while a probe result reaches 70 % of what it asked for, a further one at 2× that result
/// (exponential search for a capacity far above the estimate); and, unlike libwebrtc, which probes periodically
/// only in the application-limited region, a periodic cluster at <see cref="BweSettings.ProbeScale"/>× the
/// estimate every <see cref="BweSettings.ProbeIntervalUs"/>. Our encoder fills whatever the estimate allows,
/// so every false overuse signal of a jittery cellular link would otherwise ratchet the rate down with
/// nothing to bring it back but the slow additive climb. No periodic probe goes out within
/// <see cref="BweSettings.ProbeHoldAfterOveruseUs"/> of an overuse (the queue is still draining) or while one
/// is awaiting its result. Pure: time comes in as arguments.
/// </summary>
public sealed class ProbeController
{
    private const double FurtherProbeThreshold = 0.7;
    private const double FurtherProbeScale = 2.0;
    private const long ResultTimeoutUs = 1_000_000;

    private readonly BweSettings _settings;
    private int _nextId;
    private bool _started;
    private bool _exponential = true;
    private long _nextPeriodicUs;
    private long _lastOveruseUs = long.MinValue / 2;
    private int _pendingId = -1;
    private double _pendingTargetBps;
    private long _pendingSinceUs;
    private double _queuedTargetBps;
    private double _recoveryTargetBps;

    // The two start-up clusters go out back to back, as libwebrtc's; later ones wait for the previous result.
    private bool _queuedWithoutResult;

    public ProbeController(BweSettings settings)
    {
        _settings = settings;
    }

    public long ClustersStarted { get; private set; }

    /// <summary>
    /// The delay detector saw overuse while the estimate was <paramref name="estimateBeforeBps"/>. If the decrease that
    /// follows is large, the dip was likely short (a cellular scheduling gap): once the queue has drained, a probe at
    /// <see cref="RecoveryScale"/> of the old rate checks whether the capacity is still there (libwebrtc probes after a
    /// large drop the same way, when application-limited).
    /// </summary>
    public void OnOveruse(long nowUs, double estimateBeforeBps)
    {
        if (nowUs - _lastOveruseUs > _settings.ProbeHoldAfterOveruseUs || estimateBeforeBps > _recoveryTargetBps)
        {
            _recoveryTargetBps = Math.Max(_recoveryTargetBps, RecoveryScale * estimateBeforeBps);
        }
        _lastOveruseUs = nowUs;
        _exponential = false;
    }

    /// <summary>Share of the pre-drop estimate a recovery probe asks for.</summary>
    public const double RecoveryScale = 0.85;

    /// <summary>The estimate after a decrease: forget the recovery probe when the drop was small.</summary>
    public void OnEstimate(double estimateBps)
    {
        if (_recoveryTargetBps > 0 && estimateBps >= LargeDropRatio * _recoveryTargetBps / RecoveryScale)
        {
            _recoveryTargetBps = 0;
        }
    }

    private const double LargeDropRatio = 0.66;

    /// <summary>The cluster to send now, if one is due at <paramref name="nowUs"/> for an estimate of <paramref name="estimateBps"/>.</summary>
    public bool TryStart(long nowUs, double estimateBps, out ProbeCluster cluster)
    {
        cluster = default;
        if (!_settings.Probing)
        {
            return false;
        }
        double target;
        if (!_started)
        {
            _started = true;
            target = 3 * _settings.StartBps;
            _queuedTargetBps = 6 * _settings.StartBps;
            _queuedWithoutResult = true;
        }
        else if (_queuedTargetBps > 0 && (_pendingId < 0 || _queuedWithoutResult))
        {
            _queuedWithoutResult = false;
            target = _queuedTargetBps;
            _queuedTargetBps = 0;
        }
        else
        {
            if (_pendingId >= 0 && nowUs - _pendingSinceUs < ResultTimeoutUs)
            {
                return false;
            }
            _pendingId = -1;
            if (nowUs - _lastOveruseUs < _settings.ProbeHoldAfterOveruseUs)
            {
                return false;
            }
            if (_recoveryTargetBps > estimateBps)
            {
                target = _recoveryTargetBps;
                _recoveryTargetBps = 0;
            }
            else if (nowUs >= _nextPeriodicUs)
            {
                _recoveryTargetBps = 0;
                target = _settings.ProbeScale * estimateBps;
            }
            else
            {
                return false;
            }
        }
        target = Math.Clamp(target, _settings.MinBps, _settings.MaxBps);
        var packetBits = _settings.PacketBits;
        var packets = (int)Math.Ceiling(target * _settings.ProbeDurationUs / 1e6 / packetBits);
        cluster = new ProbeCluster(_nextId++, target, Math.Max(_settings.ProbeMinPackets, packets), (int)(packetBits / 8));
        _pendingId = cluster.Id;
        _pendingTargetBps = target;
        _pendingSinceUs = nowUs;
        _nextPeriodicUs = nowUs + _settings.ProbeIntervalUs;
        ClustersStarted++;
        return true;
    }

    /// <summary>A cluster's measured rate came back; decides whether to search further.</summary>
    public void OnResult(int clusterId, double resultBps)
    {
        if (clusterId != _pendingId)
        {
            return;
        }
        var reached = resultBps >= FurtherProbeThreshold * _pendingTargetBps;
        // The link carried (nearly) all of the probe: the capacity may be far higher still, search on at once.
        var unsaturated = resultBps >= _settings.ProbeContinueThreshold * _pendingTargetBps;
        _pendingId = -1;
        if (((_exponential && reached) || unsaturated) && _queuedTargetBps == 0)
        {
            _queuedTargetBps = FurtherProbeScale * resultBps;
        }
        else if (!reached)
        {
            _exponential = false;
        }
    }
}
