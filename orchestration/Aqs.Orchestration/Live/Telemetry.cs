using Aqs.Orchestration.Run;
using Aqs.Shared.Contracts;
using Aqs.Shared.Rings;
using Aqs.Shared.Timing;

namespace Aqs.Orchestration.Live;

/// <summary>
/// Everything a run shows while it goes on, gathered in one place: the control-plane messages of the session, folded
/// into one <see cref="TelemetrySample"/> a second, with CPU and memory of each kernel and the fill of each ring. The
/// terminal dashboard, the live page, the Prometheus endpoint and the report all read from here, so they show the
/// same figures.
/// <para>Threading: handlers and <see cref="Sample"/> run on the run's loop thread; readers on other threads take
/// <see cref="Snapshot"/>, <see cref="Latest"/> and the events.</para>
/// </summary>
public sealed class Telemetry
{
    public static readonly string[] Rings = ["raw", "ref", "enc", "rx"];
    private const int MaxDecisionsKept = 500;

    private readonly object _lock = new();
    private readonly List<TelemetrySample> _samples = [];
    private readonly List<EncoderDecision> _decisions = [];
    private readonly Dictionary<KernelRole, (long AtNs, int Pid)> _heartbeats = [];
    private readonly Dictionary<int, double> _cpuSecondsByPid = [];
    private readonly Dictionary<string, long> _publishedByRing = [];
    private readonly string _session;
    private readonly long _startNs = MonotonicClock.NowNs;

    private EncoderStats? _encoder;
    private NetworkStats? _network;
    private QualityFeedback? _quality;
    private EncoderDecision? _decision;
    private int _framesThisSecond;
    private long _bytesThisSecond;
    private double _encodeMsThisSecond;
    private long _displayedBase;
    private long _displayedLast;
    private long _encodedBase;
    private long _encodedLast;
    private long _lastSampleNs;
    private long _encoderAtNs;
    private long _networkAtNs;
    private long _qualityAtNs;
    /// <summary>A kernel silent for this long shows nothing rather than its last figures (it may be dead).</summary>
    private static readonly long StaleAfterNs = 1_500_000_000;

    public Telemetry(string session)
    {
        _session = session;
        _lastSampleNs = _startNs;
    }

    /// <summary>A new second was sampled (raised on the loop thread).</summary>
    public event Action<TelemetrySample>? Sampled;

    /// <summary>The engine chose something new: rung, rate, depth, bitrate, mode or preset moved (raised on the loop thread).</summary>
    public event Action<EncoderDecision>? Decided;

    /// <summary>Every encoded frame's statistics as they arrive (raised on the loop thread).</summary>
    public event Action<EncoderStats>? Encoded;

    public event Action<Heartbeat>? HeartbeatSeen;

    /// <summary>True once the encoder has reported a frame: the pipeline is flowing.</summary>
    public bool Flowing => _encoder is not null;

    public double ElapsedSeconds => (MonotonicClock.NowNs - _startNs) / 1e9;

    /// <summary>Frames displayed since the run started, summed over display restarts.</summary>
    public long FramesDisplayed => _displayedBase + _displayedLast;

    public long FramesEncoded => _encodedBase + _encodedLast;

    public void Attach(ControlPlane control)
    {
        control.Subscribe<EncoderStats>(OnEncoded);
        control.Subscribe<NetworkStats>(s =>
        {
            _network = s;
            _networkAtNs = MonotonicClock.NowNs;
        });
        control.Subscribe<QualityFeedback>(OnQuality);
        control.Subscribe<EncoderDecision>(OnDecision);
        control.Subscribe<Heartbeat>(OnHeartbeat);
    }

    internal void OnEncoded(EncoderStats s)
    {
        if (_encoder is { } previous && s.FramesEncoded < previous.FramesEncoded)
        {
            _encodedBase += _encodedLast; // a new kernel-encode counts from zero
        }
        _encodedLast = s.FramesEncoded;
        _encoder = s;
        _encoderAtNs = MonotonicClock.NowNs;
        _framesThisSecond++;
        _bytesThisSecond += s.Bytes;
        _encodeMsThisSecond += s.EncodeMs;
        Encoded?.Invoke(s);
    }

    internal void OnQuality(QualityFeedback q)
    {
        if (q.FramesDisplayed < _displayedLast)
        {
            _displayedBase += _displayedLast; // a new kernel-display counts from zero
        }
        _displayedLast = q.FramesDisplayed;
        _quality = q;
        _qualityAtNs = MonotonicClock.NowNs;
    }

    internal void OnDecision(EncoderDecision d)
    {
        var moved = _decision is not { } last
            || last.Width != d.Width || last.Height != d.Height || last.Fps != d.Fps || last.BitDepth != d.BitDepth
            || last.Mode != d.Mode || last.Preset != d.Preset || last.Reason != d.Reason
            || Math.Abs(last.BitrateBps - d.BitrateBps) > 0.05 * Math.Max(1, last.BitrateBps);
        _decision = d;
        if (!moved)
        {
            return;
        }
        lock (_lock)
        {
            _decisions.Add(d);
            if (_decisions.Count > MaxDecisionsKept)
            {
                _decisions.RemoveAt(0);
            }
        }
        Decided?.Invoke(d);
    }

    private void OnHeartbeat(Heartbeat h)
    {
        lock (_lock)
        {
            _heartbeats[h.Role] = (MonotonicClock.NowNs, h.Pid);
        }
        HeartbeatSeen?.Invoke(h);
    }

    /// <summary>When <paramref name="role"/>'s process <paramref name="pid"/> last sent a heartbeat; null if it never did.</summary>
    public TimeSpan? SinceHeartbeat(KernelRole role, int pid)
    {
        lock (_lock)
        {
            return _heartbeats.TryGetValue(role, out var beat) && beat.Pid == pid
                ? TimeSpan.FromTicks((MonotonicClock.NowNs - beat.AtNs) / 100)
                : null;
        }
    }

    /// <summary>Closes the current second: one sample from what arrived since the last one, the processes and the rings.</summary>
    public TelemetrySample Sample(IReadOnlyDictionary<KernelKind, int> pids, int restarts)
    {
        var now = MonotonicClock.NowNs;
        var seconds = Math.Max(1e-3, (now - _lastSampleNs) / 1e9);
        _lastSampleNs = now;
        var cpu = new Dictionary<string, double>();
        var rss = new Dictionary<string, double>();
        var fds = new Dictionary<string, double>();
        foreach (var (kind, pid) in pids)
        {
            if (ProcessStats.Read(pid) is not { } reading)
            {
                continue;
            }
            var name = kind.ExecutableName();
            if (_cpuSecondsByPid.TryGetValue(pid, out var before))
            {
                cpu[name] = Math.Round(100 * (reading.CpuSeconds - before) / seconds, 1);
            }
            _cpuSecondsByPid[pid] = reading.CpuSeconds;
            rss[name] = Math.Round(reading.RssMb, 1);
            fds[name] = reading.OpenFds;
        }
        var fill = new Dictionary<string, double>();
        var ringFps = new Dictionary<string, double>();
        foreach (var ring in Rings)
        {
            if (RingInspector.Fill(_session, ring) is { } f)
            {
                fill[ring] = Math.Round(f.Fill, 3);
                if (_publishedByRing.TryGetValue(ring, out var before) && f.Published >= before)
                {
                    ringFps[ring] = Math.Round((f.Published - before) / seconds, 1);
                }
                _publishedByRing[ring] = f.Published;
            }
        }
        var e = now - _encoderAtNs < StaleAfterNs ? _encoder : null;
        var n = now - _networkAtNs < StaleAfterNs ? _network : null;
        var q = now - _qualityAtNs < StaleAfterNs ? _quality : null;
        var d = _decision;
        var sample = new TelemetrySample
        {
            T = Math.Round((now - _startNs) / 1e9, 2),
            EncodedFps = e is null ? null : Math.Round(_framesThisSecond / seconds, 1),
            BitrateBps = e is null ? null : Math.Round(_bytesThisSecond * 8 / seconds),
            TargetBps = d?.BitrateBps ?? e?.BitrateBps,
            EncodeMs = _framesThisSecond > 0 ? Math.Round(_encodeMsThisSecond / _framesThisSecond, 2) : null,
            Width = d?.Width ?? e?.Width,
            Height = d?.Height ?? e?.Height,
            Fps = d?.Fps ?? (e?.Fps is > 0 ? e.Fps : null), // 0 = the encoder did not say
            BitDepth = d?.BitDepth ?? e?.BitDepth,
            Mode = d?.Mode,
            Preset = NonEmpty(d?.Preset) ?? NonEmpty(e?.Preset),
            Codec = e?.Codec,
            FramesEncoded = e is null ? null : FramesEncoded,
            EstimateBps = n is null ? null : Math.Round(n.EstimatedBandwidthBps),
            CapacityBps = n is not null && double.IsFinite(n.EmulatedCapacityBps) ? Math.Round(n.EmulatedCapacityBps) : null,
            SendRateBps = n is null ? null : Math.Round(n.SendRateBps),
            LossPct = n is null ? null : Math.Round(n.LossRate * 100, 2),
            FecPct = n is null ? null : Math.Round(n.FecParityRatio * 100, 1),
            RttMs = n is null ? null : Math.Round(n.RttMs, 1),
            QueueDelayMs = n is null ? null : Math.Round(n.QueueDelayMs, 1),
            FramesSent = n?.FramesSent,
            FramesReceived = n?.FramesReceived,
            FramesLost = n?.FramesLost,
            Vmaf = Finite(q?.Vmaf, 2),
            Ssim = Finite(q?.Ssim, 5),
            PsnrDb = Finite(q?.PsnrDb, 2),
            LatencyMs = Finite(q?.LatencyMs, 1),
            LatencyP95Ms = Finite(q?.LatencyP95Ms, 1),
            DisplayedFps = Finite(q?.Fps, 1),
            Freezes = q?.Freezes,
            FreezeMs = q is null ? null : Math.Round(q.FreezeMs, 1),
            FramesDisplayed = q is null ? null : FramesDisplayed,
            CpuPct = cpu.Count > 0 ? cpu : null,
            RssMb = rss.Count > 0 ? rss : null,
            Fds = fds.Count > 0 ? fds : null,
            RingFill = fill.Count > 0 ? fill : null,
            RingFps = ringFps.Count > 0 ? ringFps : null,
            Restarts = restarts,
        };
        _framesThisSecond = 0;
        _bytesThisSecond = 0;
        _encodeMsThisSecond = 0;
        lock (_lock)
        {
            _samples.Add(sample);
        }
        Sampled?.Invoke(sample);
        return sample;
    }

    public TelemetrySample? Latest
    {
        get
        {
            lock (_lock)
            {
                return _samples.Count > 0 ? _samples[^1] : null;
            }
        }
    }

    public IReadOnlyList<TelemetrySample> Snapshot()
    {
        lock (_lock)
        {
            return _samples.ToList();
        }
    }

    public IReadOnlyList<EncoderDecision> Decisions()
    {
        lock (_lock)
        {
            return _decisions.ToList();
        }
    }

    private static string? NonEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static double? Finite(double? value, int digits) =>
        value is { } v && double.IsFinite(v) ? Math.Round(v, digits) : null;
}
