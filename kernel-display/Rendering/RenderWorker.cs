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
public sealed class RenderWorker : BudgetedWorker<Picture>
{
    private readonly IFrameRenderer _renderer;
    private readonly Action<string> _say;
    private Picture? _pending;
    private long _rendered;
    private long _skipped;
    private long _renderNs;
    private string? _failure;

    public RenderWorker(IFrameRenderer renderer, double coreShare, Action<string> say)
        : base("render", coreShare)
    {
        _renderer = renderer;
        _say = say;
        Start();
    }

    public long Rendered { get { lock (Gate) { return _rendered; } } }
    public long Skipped { get { lock (Gate) { return _skipped; } } }
    public double? RenderMsMean { get { lock (Gate) { return _rendered > 0 ? _renderNs / 1e6 / _rendered : null; } } }
    public string? Failure { get { lock (Gate) { return _failure; } } }

    protected override bool Failed => _failure is not null;

    protected override bool HasWork => _pending is not null;

    /// <summary>A newly presented picture (presenter thread); replaces one still waiting.</summary>
    public void Offer(Picture picture)
    {
        lock (Gate)
        {
            if (_failure is not null || !HasCredit())
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
            Wake();
        }
    }

    protected override bool TryTake([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Picture? job)
    {
        job = _pending;
        _pending = null;
        return job is not null;
    }

    protected override void Process(Picture picture)
    {
        var started = MonotonicClock.NowNs;
        string? failure = null;
        try
        {
            _renderer.Render(picture);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or ArgumentException)
        {
            failure = ex.Message;
            _say($"rendering stopped: {ex.Message}");
        }
        finally
        {
            picture.Release();
        }
        lock (Gate)
        {
            _failure ??= failure;
            _rendered += failure is null ? 1 : 0;
            _renderNs += MonotonicClock.NowNs - started;
        }
    }

    protected override void Discard(Picture job) => job.Release();
}
