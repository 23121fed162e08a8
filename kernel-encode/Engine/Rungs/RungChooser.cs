using Aqs.Engine.Analysis;
using Aqs.Engine.Config;

namespace Aqs.Engine.Rungs;

/// <summary>
/// Rate-distortion choice of the rung (seed 3.2): each allowed rung is costed at its own bitrate — the lowest that
/// reaches the mode's VMAF target by the quality model, or all the link allows when none does — as
/// <c>J = D + λR</c>, where D is the shortfall of predicted VMAF from the target (plus a little for every point
/// below 100), R the bitrate in Mbit/s and λ the mode's price of a Mbit/s, lower for complex content (it needs the
/// bits); the rung with the least J wins. The mode's priority adds the cost of the knob it would rather keep. Moves are damped:
/// a switch needs a clear gain, going down must hold for the mode's reaction time unless the current rung is starved;
/// going up waits out a dwell, must hold for a second and must still pay at <see cref="UpMargin"/> of the bitrate (a
/// rung taken at the top of a wavering link is left again at its next dip, and every switch is a keyframe). An up
/// move undone within <see cref="FailedUpNs"/> doubles the dwell (up to <see cref="MaxDwellNs"/>), as libwebrtc's
/// quality scaler backs off; twice the dwell without a failed up move restores it. A scene cut (a keyframe anyway) lifts the dwell.
/// </summary>
public sealed class RungChooser
{
    private const double UpGain = 2.0;
    private const double DownGain = 1.0;
    private const long DwellNs = 2_000_000_000;
    private const long UpHoldNs = 1_000_000_000;

    /// <summary>Going up must still pay if the bitrate falls to this share of the target.</summary>
    public const double UpMargin = 0.7;

    /// <summary>A down move this soon after an up move means the up move failed.</summary>
    public const long FailedUpNs = 5_000_000_000;

    public const long MaxDwellNs = 32_000_000_000;

    private long _upDwellNs = DwellNs;
    private long _lastUpNs = long.MinValue / 2;
    private long _lastFailedUpNs = long.MinValue / 2;

    /// <summary>How long after a switch the next up move waits now (grows after failed up moves).</summary>
    public TimeSpan UpDwell => TimeSpan.FromTicks(_upDwellNs / 100);

    private long _lastSwitchNs = long.MinValue / 2;
    private long _wantSinceNs = long.MinValue;
    private Rung? _wanted;

    public QualityModel Model { get; } = new();

    /// <summary>
    /// The rung to encode at from now on and its bitrate. <paramref name="maxHeight"/> and <paramref name="minDecimation"/>
    /// are the load governor's caps, with <paramref name="maxPixelsPerSecond"/> (null: none); <paramref name="current"/> is
    /// null before the first frame.
    /// </summary>
    public RungChoice Choose(RungLadder ladder, Rung? current, double targetBps, in ContentMetrics content, ResolvedConfig config,
        int maxHeight, int minDecimation, bool sceneCut, long nowNs, out string? why, double? maxPixelsPerSecond = null)
    {
        why = null;
        RungChoice best = default;
        var found = false;
        RungChoice? stay = null;
        foreach (var rung in ladder.Rungs)
        {
            var allowed = rung.Height <= maxHeight && rung.Decimation >= minDecimation && !(rung.PixelsPerSecond > maxPixelsPerSecond * 1.0001);
            if (!allowed && rung != current)
            {
                continue;
            }
            var choice = Best(rung, targetBps, content, config);
            if (rung == current)
            {
                stay = choice;
            }
            if (allowed && (!found || choice.Cost < best.Cost))
            {
                best = choice;
                found = true;
            }
        }
        if (!found)
        {
            // Caps tighter than every rung: the smallest, slowest one.
            var last = ladder.Rungs.OrderBy(r => r.PixelsPerSecond).First();
            best = Best(last, targetBps, content, config);
        }
        if (stay is not { } kept)
        {
            _lastSwitchNs = nowNs;
            why = "first rung";
            return best;
        }
        if (_upDwellNs > DwellNs && nowNs - _lastFailedUpNs >= 2 * _upDwellNs)
        {
            _upDwellNs = DwellNs;
        }
        var currentAllowed = kept.Rung.Height <= maxHeight && kept.Rung.Decimation >= minDecimation && !(kept.Rung.PixelsPerSecond > maxPixelsPerSecond * 1.0001);
        if (best.Rung == kept.Rung)
        {
            _wanted = null;
            return kept;
        }
        if (!currentAllowed)
        {
            return Switch(best, nowNs, "load: current rung over the encoder's capacity", out why);
        }
        var up = best.Rung.PixelsPerSecond > kept.Rung.PixelsPerSecond;
        var gain = kept.Cost - best.Cost;
        if (gain < (up ? UpGain : DownGain))
        {
            _wanted = null;
            return kept;
        }
        if (_wanted != best.Rung)
        {
            _wanted = best.Rung;
            _wantSinceNs = nowNs;
        }
        var held = nowNs - _wantSinceNs;
        var starved = kept.PredictedVmaf < config.VmafTarget - 25;
        if (up)
        {
            if (Best(kept.Rung, UpMargin * targetBps, content, config).Cost - Best(best.Rung, UpMargin * targetBps, content, config).Cost < UpGain)
            {
                _wanted = null;
                return kept;
            }
            if (sceneCut || (nowNs - _lastSwitchNs >= _upDwellNs && held >= UpHoldNs))
            {
                _lastUpNs = nowNs;
                return Switch(best, nowNs, sceneCut ? "scene cut: up to a better rung" : "more bits: a better rung pays", out why);
            }
            return kept;
        }
        if (sceneCut || starved || held >= (long)(config.Profile.ReactionMs * 1e6))
        {
            if (nowNs - _lastUpNs < FailedUpNs)
            {
                _lastFailedUpNs = nowNs;
                _upDwellNs = Math.Min(2 * _upDwellNs, MaxDwellNs);
            }
            return Switch(best, nowNs, starved ? "starved: current rung far below target" : "fewer bits: a smaller or slower rung looks better", out why);
        }
        return kept;
    }

    /// <summary>
    /// The bitrate for <paramref name="rung"/>: the lowest up to <paramref name="targetBps"/> whose predicted VMAF
    /// reaches the target (a monotone curve: bisection), else <paramref name="targetBps"/>; and its cost.
    /// </summary>
    private RungChoice Best(Rung rung, double targetBps, in ContentMetrics content, ResolvedConfig config)
    {
        var lambda = config.Profile.Lambda / content.Complexity;
        var scale = (double)rung.Height / config.Source.Height;
        var keepResolution = config.Profile.Priority == KnobPriority.KeepResolution ? 12 * (1 - scale) : 0;
        // Motion priority counts the frame rate's cost three times over.
        var temporalWeight = config.Profile.Priority == KnobPriority.KeepFrameRate ? 3 : 1;
        var bps = targetBps;
        if (Model.Predict(rung, targetBps, content, config.Source.Height) > config.VmafTarget)
        {
            double low = 0, high = targetBps;
            for (var i = 0; i < 16; i++)
            {
                var mid = (low + high) / 2;
                if (Model.Predict(rung, mid, content, config.Source.Height) >= config.VmafTarget)
                {
                    high = mid;
                }
                else
                {
                    low = mid;
                }
            }
            bps = high;
        }
        var vmaf = Model.Predict(rung, bps, content, config.Source.Height);
        var temporal = temporalWeight * QualityModel.TemporalPenalty(rung.Decimation, content, vmaf);
        var distortion = Math.Max(0, config.VmafTarget - vmaf) + 0.15 * (100 - vmaf) + temporal + keepResolution;
        return new RungChoice(rung, bps, vmaf, distortion + lambda * bps / 1e6);
    }

    private RungChoice Switch(RungChoice to, long nowNs, string reason, out string why)
    {
        _lastSwitchNs = nowNs;
        _wanted = null;
        why = reason;
        return to;
    }
}
