using Aqs.Engine.Config;

namespace Aqs.Engine.Load;

/// <summary>
/// Encoder saturation (seed 10.2): when encoding takes more than the time a frame allows (or the user's
/// <c>--max-frametime</c>), the input queue passes 90 %, or measured power passes <c>--power-limit</c>, for 200 ms,
/// it takes one step in the order the mode prefers — temporal downsample, lighter preset, lower rung — and another
/// 400 ms later if that was not enough. It undoes the newest step when the load that step would bring back fits
/// within 60 % of the time for 2 s. Time is passed in. Not thread-safe.
/// </summary>
public sealed class LoadGovernor
{
    private const long SustainNs = 200_000_000;
    private const long SettleNs = 400_000_000;
    private const long RestoreNs = 2_000_000_000;
    private const double RestoreLoad = 0.6;
    private const double QueueFull = 0.9;
    /// <summary>A faster preset saves about this share of encode time (x264, one step).</summary>
    private const double PresetSpeedup = 1.4;

    private readonly Stack<LoadStep> _steps = new();
    // The pixel rate each step allows from then on (parallel to _steps): a step never lets the rung choice climb above it.
    private readonly Stack<double> _pixelCaps = new();
    private readonly int _startPreset;
    private double _encodeMs = double.NaN;
    private long _overSinceNs = long.MinValue;
    private long _fitsSinceNs = long.MinValue;
    private long _lastStepNs = long.MinValue / 2;
    private HardwareSample _hardware = HardwareSample.Unavailable(0);

    public LoadGovernor(string startPreset)
    {
        _startPreset = PresetLadder.IndexOf(startPreset);
    }

    public int PresetIndex => Math.Max(0, _startPreset - _steps.Count(s => s == LoadStep.LighterPreset));
    public string Preset => PresetLadder.Names[PresetIndex];
    public int TemporalSteps => _steps.Count(s => s == LoadStep.TemporalDownsample);
    public int RungSteps => _steps.Count(s => s == LoadStep.LowerRung);
    public IEnumerable<LoadStep> Steps => _steps;

    /// <summary>
    /// Most pixels a second the rung may encode while steps are taken (null: no cap): a frame-rate step halves the
    /// rate the encoder was overloaded at, a rung step takes one ladder step off it, a preset step keeps it. Without
    /// it, halving the frame rate let the rate-distortion choice pick a larger picture (640x360@60 → 1280x720@30:
    /// twice the pixels) for an encoder already over its time.
    /// </summary>
    public double? MaxPixelsPerSecond => _pixelCaps.Count > 0 ? _pixelCaps.Peek() : null;

    /// <summary>Smoothed encode time per frame, ms (NaN before the first).</summary>
    public double EncodeMs => _encodeMs;

    /// <summary>A fresh encoder's first frames (and the process's, while the JIT warms up) are slow for reasons load is not.</summary>
    private const int WarmupFrames = 5;
    private const long WarmupNs = 1_000_000_000;
    private int _warmupLeft = WarmupFrames;
    private long _firstNs = long.MinValue;

    /// <summary>A new encoder is starting: its first frames are not counted as load.</summary>
    public void OnEncoderSwitch() => _warmupLeft = WarmupFrames;

    public void OnEncoded(double encodeMs, long nowNs)
    {
        if (_firstNs == long.MinValue)
        {
            _firstNs = nowNs;
        }
        if (encodeMs < 0 || _warmupLeft-- > 0 || nowNs - _firstNs < WarmupNs)
        {
            return;
        }
        _encodeMs = double.IsNaN(_encodeMs) ? encodeMs : _encodeMs + 0.2 * (encodeMs - _encodeMs);
    }

    /// <summary>The input queue must read full twice running: one sample can catch a burst the next read clears.</summary>
    public void OnHardware(in HardwareSample sample)
    {
        _previousFill = _hardware.InputQueueFill;
        _hardware = sample;
    }

    private double _previousFill = double.NaN;

    /// <summary>
    /// Looks at the load under the rung running at <paramref name="fps"/>; returns the step taken or undone (and
    /// why) when one was, null otherwise. <paramref name="canLower"/> says whether a smaller rung or rate exists.
    /// </summary>
    /// <param name="pixelsPerSecond">The current rung's pixel rate (what the encoder is loaded with).</param>
    public (LoadStep Step, bool Undo, string Why)? Update(ResolvedConfig config, double fps, double pixelsPerSecond, double motion, bool canLowerRung, bool canLowerRate, long nowNs)
    {
        var frameMs = 1000.0 / Math.Max(1, fps);
        var budgetMs = Math.Min(config.MaxFrametimeMs ?? double.PositiveInfinity, 0.85 * frameMs);
        if (_firstNs == long.MinValue || nowNs - _firstNs < WarmupNs)
        {
            return null;
        }
        var over = OverloadReason(config, budgetMs);
        if (over is not null)
        {
            _fitsSinceNs = long.MinValue;
            if (_overSinceNs == long.MinValue)
            {
                _overSinceNs = nowNs;
            }
            if (nowNs - _overSinceNs < SustainNs || nowNs - _lastStepNs < SettleNs)
            {
                return null;
            }
            foreach (var step in Order(config.Profile.Priority, motion))
            {
                var possible = step switch
                {
                    LoadStep.TemporalDownsample => canLowerRate,
                    LoadStep.LighterPreset => PresetIndex > 0,
                    _ => canLowerRung,
                };
                if (possible)
                {
                    var allowed = step switch
                    {
                        LoadStep.TemporalDownsample => pixelsPerSecond / 2,
                        LoadStep.LighterPreset => pixelsPerSecond,
                        _ => pixelsPerSecond / 1.7,
                    };
                    _pixelCaps.Push(Math.Min(allowed, _pixelCaps.Count > 0 ? _pixelCaps.Peek() : double.PositiveInfinity));
                    _steps.Push(step);
                    _lastStepNs = nowNs;
                    _overSinceNs = long.MinValue;
                    return (step, false, over);
                }
            }
            return null;
        }
        _overSinceNs = long.MinValue;
        if (_steps.Count == 0 || double.IsNaN(_encodeMs))
        {
            return null;
        }
        // What the newest step saves comes back if it is undone: does that still fit?
        var restoredLoad = _encodeMs / frameMs * _steps.Peek() switch
        {
            LoadStep.TemporalDownsample => 2.0,
            LoadStep.LighterPreset => PresetSpeedup,
            _ => 1.8,
        };
        if (restoredLoad > RestoreLoad || nowNs - _lastStepNs < RestoreNs)
        {
            _fitsSinceNs = long.MinValue;
            return null;
        }
        if (_fitsSinceNs == long.MinValue)
        {
            _fitsSinceNs = nowNs;
            return null;
        }
        if (nowNs - _fitsSinceNs < RestoreNs)
        {
            return null;
        }
        var undone = _steps.Pop();
        _pixelCaps.Pop();
        _lastStepNs = nowNs;
        _fitsSinceNs = long.MinValue;
        return (undone, true, $"load fell: encode {_encodeMs:F1} ms of {frameMs:F1} ms a frame");
    }

    private string? OverloadReason(ResolvedConfig config, double budgetMs)
    {
        if (!double.IsNaN(_encodeMs) && _encodeMs > budgetMs)
        {
            return $"encode {_encodeMs:F1} ms over the {budgetMs:F1} ms a frame allows";
        }
        if (_hardware.InputQueueFill > QueueFull && _previousFill > QueueFull)
        {
            return $"input queue {_hardware.InputQueueFill:P0} full";
        }
        if (config.PowerLimitW is { } limit)
        {
            var power = double.IsNaN(_hardware.PackagePowerW) ? _hardware.GpuPowerW : _hardware.PackagePowerW;
            if (power > limit)
            {
                return $"power {power:F1} W over the {limit:F1} W limit";
            }
        }
        return null;
    }

    private static LoadStep[] Order(KnobPriority priority, double motion) => priority switch
    {
        KnobPriority.KeepResolution => [LoadStep.TemporalDownsample, LoadStep.LighterPreset, LoadStep.LowerRung],
        KnobPriority.KeepFrameRate => [LoadStep.LighterPreset, LoadStep.LowerRung, LoadStep.TemporalDownsample],
        _ => motion > 6
            ? [LoadStep.LighterPreset, LoadStep.LowerRung, LoadStep.TemporalDownsample]
            : [LoadStep.TemporalDownsample, LoadStep.LighterPreset, LoadStep.LowerRung],
    };
}
