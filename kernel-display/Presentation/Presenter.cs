using Aqs.Kernel.Display.Measurement;
using Aqs.Kernel.Display.Pictures;
using Aqs.Kernel.Display.References;
using Aqs.Kernel.Display.Rendering;
using Aqs.Shared.Frames;
using Aqs.Shared.Timing;

namespace Aqs.Kernel.Display.Presentation;

/// <summary>
/// The display clock: a thread that wakes at every refresh (60 Hz by default), asks <see cref="PresentationCore"/>
/// which picture is due, renders it, samples the age of the picture on screen and offers the quality worker the
/// newly presented picture and, when the source frame due at this refresh is not the one on screen (a freeze, a
/// skipped or late frame), the on-screen pair. A refresh missed because rendering ran long is still sampled (the
/// old picture was on screen then). Decoding never waits for it and it never waits for measurement.
/// </summary>
public sealed class Presenter : IDisposable
{
    private readonly PresentationCore _core;
    private readonly IFrameRenderer? _renderer;
    private readonly QualityWorker? _quality;
    private readonly ReferenceStore? _references;
    private readonly long _periodNs;
    private readonly object _gate = new();
    private readonly Thread _thread;
    private readonly Action<string> _log;
    private readonly FrameLog? _frameLog;
    private readonly RenderWorker? _renderWorker;
    private volatile bool _stopping;
    private volatile bool _drain;
    private long _renderNsSum;
    private long _rendered;
    private string? _renderFailure;

    /// <param name="renderShare">Core share of offscreen rendering beside the presenter (a window renders in line, every picture).</param>
    public Presenter(PresentationCore core, TimeSpan refresh, IFrameRenderer? renderer, QualityWorker? quality, ReferenceStore? references,
        Action<string> log, FrameLog? frameLog = null, double renderShare = 1.0)
    {
        if (renderer is { Offscreen: true })
        {
            _renderWorker = new RenderWorker(renderer, renderShare, log);
        }
        _frameLog = frameLog;
        _core = core;
        _renderer = renderer;
        _quality = quality;
        _references = references;
        _log = log;
        _periodNs = (long)refresh.TotalNanoseconds;
        _thread = new Thread(Run) { IsBackground = true, Name = "present", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    public long PeriodNs => _periodNs;

    /// <summary>Refreshes that passed while the presenter was busy rendering (sampled late, still counted).</summary>
    public long MissedRefreshes { get; private set; }

    public double? RenderMsMean => _renderWorker is not null
        ? _renderWorker.RenderMsMean
        : Interlocked.Read(ref _rendered) > 0 ? Interlocked.Read(ref _renderNsSum) / 1e6 / Interlocked.Read(ref _rendered) : null;

    public string? RenderFailure => _renderWorker?.Failure ?? Volatile.Read(ref _renderFailure);

    /// <summary>Pictures rendered, and presented pictures left unrendered (offscreen, over the render share).</summary>
    public long Rendered => _renderWorker?.Rendered ?? Interlocked.Read(ref _rendered);
    public long RenderSkipped => _renderWorker?.Skipped ?? 0;
    public double? RenderShare => _renderWorker?.CoreShare;

    /// <summary>False once the window was closed (the kernel then stops).</summary>
    public bool WindowOpen => _renderer?.IsOpen ?? true;

    /// <summary>A decoded picture for the screen (the decode thread); the presenter holds it from now on.</summary>
    public void Enqueue(Picture picture)
    {
        lock (_gate)
        {
            _core.Enqueue(picture, _periodNs);
        }
    }

    /// <summary>Reads figures under the presenter's lock (the core is not thread-safe).</summary>
    public T Read<T>(Func<PresentationCore, T> read)
    {
        lock (_gate)
        {
            return read(_core);
        }
    }

    /// <summary>Shows what is queued, then stops.</summary>
    public void Finish()
    {
        _drain = true;
        _thread.Join();
        _renderWorker?.Drain();
        lock (_gate)
        {
            _core.Clear();
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join();
        _renderWorker?.Dispose();
        lock (_gate)
        {
            _core.Clear();
        }
    }

    private void Run()
    {
        var next = MonotonicClock.NowNs + _periodNs;
        while (!_stopping)
        {
            MonotonicClock.SleepUntilNs(next);
            var refresh = next;
            Picture? pick;
            bool empty;
            lock (_gate)
            {
                pick = _core.Due(refresh);
                empty = _core.Queued == 0;
            }
            if (pick is not null)
            {
                var presented = Render(pick, refresh);
                lock (_gate)
                {
                    _core.OnPresented(pick, presented, _periodNs);
                }
                _frameLog?.Presented(pick.FrameId, pick.CaptureNs, presented, pick.Layout.Width, pick.Layout.Height, pick.Layout.Format.FfmpegName());
                _quality?.OfferPresented(pick);
            }
            lock (_gate)
            {
                _core.Sample(refresh);
                OfferOnScreen(refresh);
            }
            if (_drain && empty && pick is null)
            {
                return;
            }
            next += _periodNs;
            var now = MonotonicClock.NowNs;
            while (next <= now)
            {
                // Missed while rendering: the picture on screen then was the one that is there now.
                MissedRefreshes++;
                lock (_gate)
                {
                    _core.Sample(next);
                }
                next += _periodNs;
            }
        }
    }

    /// <summary>
    /// Shows the picture; returns when it became visible. Offscreen, that is its refresh (the render runs beside,
    /// sampled, as a GPU would finish it well within the refresh); in a window, when the swapchain took it.
    /// </summary>
    private long Render(Picture pick, long refresh)
    {
        if (_renderWorker is not null)
        {
            _renderWorker.Offer(pick);
            return refresh;
        }
        if (_renderer is null || _renderFailure is not null)
        {
            return Math.Max(refresh, MonotonicClock.NowNs);
        }
        var started = MonotonicClock.NowNs;
        try
        {
            _renderer.Render(pick);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException)
        {
            Volatile.Write(ref _renderFailure, ex.Message);
            _log($"rendering stopped: {ex.Message}");
        }
        var done = MonotonicClock.NowNs;
        Interlocked.Add(ref _renderNsSum, done - started);
        Interlocked.Increment(ref _rendered);
        return Math.Max(refresh, done);
    }

    /// <summary>
    /// The source frame due now is the one captured a playout delay ago; when the screen shows another (older)
    /// picture, the viewer sees that picture in its place, and that pair is what the on-screen quality scores.
    /// </summary>
    private void OfferOnScreen(long refresh)
    {
        if (_quality is null || _references is null || _core.OnScreen is not { } shown)
        {
            return;
        }
        _quality.OfferOnScreen(shown, refresh - _core.Jitter.PlayoutDelayNs);
    }
}
