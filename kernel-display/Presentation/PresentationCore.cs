using Aqs.Kernel.Display.Pictures;

namespace Aqs.Kernel.Display.Presentation;

/// <summary>
/// What the viewer sees, refresh by refresh, with time passed in (the presenter thread drives it from the display
/// clock; tests drive it from a script). Decoded pictures queue here in frame order; at each refresh the newest
/// picture that is due (capture + playout delay) replaces the one on screen, older due ones are skipped, and a
/// picture older than the one on screen is dropped as too late. Nothing new → the last good picture stays
/// (concealment by holding). At every refresh the age of the picture on screen (refresh time − its capture) is
/// sampled, so a freeze counts for as long as it lasts; each newly presented picture records capture → presented
/// and its interval for the freeze rule. Not thread-safe: the presenter serialises calls.
/// </summary>
public sealed class PresentationCore
{
    private readonly Queue<Picture> _queue = new();
    private readonly JitterBuffer _jitter;
    private readonly FreezeDetector _freezes = new();
    private readonly LatencyHistogram _age = new();
    private readonly LatencyHistogram _presented = new();
    private readonly LatencyHistogram _buffer = new();
    private readonly List<long> _windowAges = [];
    private long _windowPresented;
    private long _windowStartNs = long.MinValue;

    public PresentationCore(JitterBuffer jitter) => _jitter = jitter;

    public JitterBuffer Jitter => _jitter;
    public FreezeDetector Freezes => _freezes;

    /// <summary>Age of the picture on screen, sampled at every refresh.</summary>
    public LatencyHistogram Age => _age;

    /// <summary>Capture → presented, once per presented picture.</summary>
    public LatencyHistogram Presented => _presented;

    /// <summary>The jitter buffer's size at each presented picture.</summary>
    public LatencyHistogram BufferSize => _buffer;

    /// <summary>The picture on screen (held by this core), or null before the first.</summary>
    public Picture? OnScreen { get; private set; }

    public long FramesPresented { get; private set; }
    /// <summary>Due at the same refresh as a newer picture: decoded, never shown.</summary>
    public long FramesSkipped { get; private set; }
    /// <summary>Ready only after a newer picture was shown: decoded, never shown.</summary>
    public long FramesTooLate { get; private set; }
    /// <summary>Shown more than one refresh after they were due.</summary>
    public long FramesLate { get; private set; }
    public long Refreshes { get; private set; }

    public int Queued => _queue.Count;

    /// <summary>A decoded picture, held by the core from now on.</summary>
    public void Enqueue(Picture picture, long refreshPeriodNs)
    {
        var averageNs = _freezes.AverageIntervalMs * 1_000_000;
        _jitter.OnReady(picture.ReadyNs, picture.ReadyNs - picture.CaptureNs, averageNs > 0 ? averageNs : refreshPeriodNs);
        if (OnScreen is { } shown && picture.FrameId <= shown.FrameId)
        {
            FramesTooLate++;
            picture.Release();
            return;
        }
        _queue.Enqueue(picture);
    }

    /// <summary>
    /// The picture to show from refresh <paramref name="refreshNs"/> on, or null to keep the one on screen. The
    /// caller renders it and then calls <see cref="OnPresented"/>.
    /// </summary>
    public Picture? Due(long refreshNs)
    {
        Picture? pick = null;
        var playout = _jitter.PlayoutDelayNs;
        while (_queue.TryPeek(out var next) && next.CaptureNs + playout <= refreshNs)
        {
            _queue.Dequeue();
            if (pick is not null)
            {
                FramesSkipped++;
                pick.Release();
            }
            pick = next;
        }
        return pick;
    }

    /// <summary>
    /// <paramref name="picture"/> (from <see cref="Due"/>) became visible at <paramref name="presentedNs"/>, which
    /// is when its refresh came or, if rendering took longer, when rendering ended. The previous picture is released.
    /// </summary>
    public void OnPresented(Picture picture, long presentedNs, long refreshPeriodNs)
    {
        picture.PresentedNs = presentedNs;
        FramesPresented++;
        _windowPresented++;
        _presented.Record(presentedNs - picture.CaptureNs);
        _buffer.Record(_jitter.BufferNs);
        if (presentedNs - (picture.CaptureNs + _jitter.PlayoutDelayNs) > refreshPeriodNs)
        {
            FramesLate++;
        }
        _freezes.OnPresented(presentedNs);
        OnScreen?.Release();
        OnScreen = picture;
    }

    /// <summary>Samples the age of the picture on screen at refresh <paramref name="refreshNs"/> (none before the first picture).</summary>
    public void Sample(long refreshNs)
    {
        Refreshes++;
        if (_windowStartNs == long.MinValue)
        {
            _windowStartNs = refreshNs;
        }
        if (OnScreen is not { } shown)
        {
            return;
        }
        var age = Math.Max(refreshNs, shown.PresentedNs) - shown.CaptureNs;
        _age.Record(age);
        _windowAges.Add(age);
    }

    /// <summary>The figures since the last call (QualityFeedback's window), then a new window starts.</summary>
    public ViewerWindow TakeWindow(long nowNs)
    {
        var window = new ViewerWindow
        {
            WindowNs = _windowStartNs == long.MinValue ? 0 : nowNs - _windowStartNs,
            AgeMeanMs = _windowAges.Count > 0 ? _windowAges.Average() / 1e6 : double.NaN,
            AgeP95Ms = Percentile(_windowAges, 0.95) / 1e6,
            Presented = _windowPresented,
        };
        _windowAges.Clear();
        _windowPresented = 0;
        _windowStartNs = nowNs;
        return window;
    }

    /// <summary>Drops every queued picture and the one on screen (the end).</summary>
    public void Clear()
    {
        while (_queue.TryDequeue(out var p))
        {
            p.Release();
        }
        OnScreen?.Release();
        OnScreen = null;
    }

    private static double Percentile(List<long> values, double q)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }
        values.Sort();
        return values[Math.Min(values.Count - 1, (int)Math.Ceiling(q * values.Count) - 1)];
    }
}

/// <summary>The viewer's figures over one feedback window.</summary>
public readonly record struct ViewerWindow
{
    public long WindowNs { get; init; }
    public double AgeMeanMs { get; init; }
    public double AgeP95Ms { get; init; }
    public long Presented { get; init; }
}
