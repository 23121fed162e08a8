using Aqs.Kernel.Display.Measurement;
using Aqs.Kernel.Display.Pictures;
using Aqs.Shared.Timing;

namespace Aqs.Kernel.Display.Rendering;

/// <summary>
/// Offscreen rendering beside the presenter: the presenter hands over each presented picture and never waits; the
/// worker renders the newest one it was given, within a share of one core (on a CPU Vulkan device such as lavapipe
/// a 1080p picture costs tens of milliseconds, which on a small machine the decoder and encoder need). Pictures
/// handed over while it is busy or over its share are not rendered, and counted.
/// </summary>
public sealed class RenderWorker : IDisposable
{
    private readonly IFrameRenderer _renderer;
    private readonly CoreShareBudget _budget;
    private readonly Action<string> _say;
    private readonly object _gate = new();
    private readonly Thread _thread;
    private Picture? _pending;
    private bool _busy;
    private bool _stopping;
    private long _rendered;
    private long _skipped;
    private long _renderNs;
    private string? _failure;
    private bool _warm;

    public RenderWorker(IFrameRenderer renderer, double coreShare, Action<string> say)
    {
        _renderer = renderer;
        _budget = new CoreShareBudget(coreShare);
        _say = say;
        _thread = new Thread(Run) { IsBackground = true, Name = "render", Priority = ThreadPriority.BelowNormal };
        _thread.Start();
    }

    public double CoreShare => _budget.Share;
    public long Rendered { get { lock (_gate) { return _rendered; } } }
    public long Skipped { get { lock (_gate) { return _skipped; } } }
    public double? RenderMsMean { get { lock (_gate) { return _rendered > 0 ? _renderNs / 1e6 / _rendered : null; } } }
    public string? Failure { get { lock (_gate) { return _failure; } } }

    /// <summary>A newly presented picture (presenter thread); replaces one still waiting.</summary>
    public void Offer(Picture picture)
    {
        lock (_gate)
        {
            if (_failure is not null || !_budget.HasCredit(MonotonicClock.NowNs))
            {
                _skipped++;
                return;
            }
            if (_pending is not null)
            {
                _skipped++;
                _pending.Release();
            }
            picture.AddRef();
            _pending = picture;
            Monitor.Pulse(_gate);
        }
    }

    /// <summary>Waits until the picture in hand is rendered (the end of a stream, tests).</summary>
    public void Drain()
    {
        lock (_gate)
        {
            while ((_pending is not null || _busy) && _failure is null)
            {
                Monitor.Wait(_gate, 50);
            }
        }
    }

    private void Run()
    {
        while (true)
        {
            Picture picture;
            lock (_gate)
            {
                while (_pending is null && !_stopping)
                {
                    Monitor.Wait(_gate);
                }
                if (_pending is null)
                {
                    return;
                }
                picture = _pending;
                _pending = null;
                _busy = true;
            }
            var started = MonotonicClock.NowNs;
            try
            {
                _renderer.Render(picture);
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException or ArgumentException)
            {
                lock (_gate)
                {
                    _failure = ex.Message;
                }
                _say($"rendering stopped: {ex.Message}");
            }
            finally
            {
                picture.Release();
                var done = MonotonicClock.NowNs;
                lock (_gate)
                {
                    // The first picture pays for shader compilation and buffers; charging it would rest the worker for many seconds.
                    _budget.Spend(done, _warm ? done - started : 0);
                    _warm = true;
                    _rendered += _failure is null ? 1 : 0;
                    _renderNs += done - started;
                    _busy = false;
                    Monitor.PulseAll(_gate);
                }
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
        }
        _thread.Join();
        lock (_gate)
        {
            _pending?.Release();
            _pending = null;
        }
    }
}
