using Aqs.Shared.Timing;

namespace Aqs.Kernel.Display;

/// <summary>
/// Delivered bitrate and frame rate over the last full second, as the viewer receives them (what
/// PQM's bitrate and fps terms mean at the display), from per-frame byte counts.
/// </summary>
public sealed class DeliveredRate
{
    private const long WindowNs = 1_000_000_000;
    private long _windowStartNs = MonotonicClock.NowNs;
    private long _bytes;
    private long _frames;

    public double Kbps { get; private set; } = double.NaN;
    public double Fps { get; private set; } = double.NaN;

    public void OnFrame(int bytes)
    {
        _bytes += bytes;
        _frames++;
        var now = MonotonicClock.NowNs;
        var elapsed = now - _windowStartNs;
        if (elapsed >= WindowNs)
        {
            Kbps = _bytes * 8 / (elapsed / 1e9) / 1000;
            Fps = _frames / (elapsed / 1e9);
            _bytes = 0;
            _frames = 0;
            _windowStartNs = now;
        }
    }
}
