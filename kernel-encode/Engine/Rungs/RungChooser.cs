using Aqs.Engine.Analysis;
using Aqs.Engine.Config;

namespace Aqs.Engine.Rungs;

/// <summary>
/// Rate-distortion choice of the rung (seed 3.2): over every allowed rung and a few bitrates up to the target,
/// minimise <c>J = D + λR</c> where D is the shortfall of predicted VMAF from the mode's target (plus a little
/// for every point below 100), R is the bitrate in Mbit/s and λ the mode's price of a Mbit/s, lower for complex
/// content (it needs the bits). The mode's priority adds the cost of the knob it would rather keep. Moves are damped:
/// a switch needs a clear gain, going up waits out a dwell and must hold for a second, going down must hold for the
/// mode's reaction time unless the current rung is starved; a scene cut (a keyframe anyway) lifts the dwell.
/// </summary>
public sealed class RungChooser
{
    private static readonly double[] BitrateShares = [1.0, 0.85, 0.7, 0.55, 0.4];
    private const double UpGain = 2.0;
    private const double DownGain = 1.0;
    private const long DwellNs = 2_000_000_000;
    private const long UpHoldNs = 1_000_000_000;

    private long _lastSwitchNs = long.MinValue / 2;
    private long _wantSinceNs = long.MinValue;
    private Rung? _wanted;

    public QualityModel Model { get; } = new();

    /// <summary>
    /// The rung to encode at from now on and its bitrate. <paramref name="maxHeight"/> and <paramref name="minDecimation"/>
    /// are the load governor's caps; <paramref name="current"/> is null before the first frame.
    /// </summary>
    public RungChoice Choose(RungLadder ladder, Rung? current, double targetBps, in ContentMetrics content, ResolvedConfig config,
        int maxHeight, int minDecimation, bool sceneCut, long nowNs, out string? why)
    {
        why = null;
        RungChoice best = default;
        var found = false;
        RungChoice? stay = null;
        foreach (var rung in ladder.Rungs)
        {
            var allowed = rung.Height <= maxHeight && rung.Decimation >= minDecimation;
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
        var currentAllowed = kept.Rung.Height <= maxHeight && kept.Rung.Decimation >= minDecimation;
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
            if (sceneCut || (nowNs - _lastSwitchNs >= DwellNs && held >= UpHoldNs))
            {
                return Switch(best, nowNs, sceneCut ? "scene cut: up to a better rung" : "more bits: a better rung pays", out why);
            }
            return kept;
        }
        if (sceneCut || starved || held >= (long)(config.Profile.ReactionMs * 1e6))
        {
            return Switch(best, nowNs, starved ? "starved: current rung far below target" : "fewer bits: a smaller or slower rung looks better", out why);
        }
        return kept;
    }

    /// <summary>The best bitrate for <paramref name="rung"/> up to <paramref name="targetBps"/>, and its cost.</summary>
    private RungChoice Best(Rung rung, double targetBps, in ContentMetrics content, ResolvedConfig config)
    {
        var lambda = config.Profile.Lambda / content.Complexity;
        var scale = (double)rung.Height / config.Source.Height;
        var keepCost = config.Profile.Priority switch
        {
            KnobPriority.KeepFrameRate => 2 * QualityModel.TemporalPenalty(rung.Decimation, content) + 4.0 * (rung.Decimation - 1),
            KnobPriority.KeepResolution => 12 * (1 - scale),
            _ => 0,
        };
        RungChoice best = default;
        for (var i = 0; i < BitrateShares.Length; i++)
        {
            var bps = targetBps * BitrateShares[i];
            var vmaf = Model.Predict(rung, bps, content, config.Source.Height);
            var distortion = Math.Max(0, config.VmafTarget - vmaf) + 0.15 * (100 - vmaf) + keepCost;
            var cost = distortion + lambda * bps / 1e6;
            if (i == 0 || cost < best.Cost)
            {
                best = new RungChoice(rung, bps, vmaf, cost);
            }
        }
        return best;
    }

    private RungChoice Switch(RungChoice to, long nowNs, string reason, out string why)
    {
        _lastSwitchNs = nowNs;
        _wanted = null;
        why = reason;
        return to;
    }
}
