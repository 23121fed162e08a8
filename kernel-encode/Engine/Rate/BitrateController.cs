namespace Aqs.Engine.Rate;

/// <summary>
/// The slow time scale of rate control: the media bitrate the encoder is set to. The target is what the link
/// carries after FEC and a headroom (<see cref="LinkBudget.DrainRateBps"/>), smoothed fast on the way down (the
/// mode's reaction time) and slowly on the way up; the PID (seed 3.3) then moves the encoder's setting until what
/// it actually produces per frame matches the target (x264 undershoots still content and overshoots motion).
/// Measured rate is bytes per encoded frame times the frame rate, so frames the budget skipped do not wind it up.
/// </summary>
public sealed class BitrateController
{
    private const double UpTimeConstantMs = 700;
    private const double MeasureTimeConstantMs = 500;
    private readonly PidController _pid = new(kp: 0.25, ki: 1.0, kd: 0.0);
    private double _measuredBps = double.NaN;
    private double _floorBps;
    private double _capBps = double.PositiveInfinity;
    private long _lastTargetNs = long.MinValue;
    private long _lastMeasureNs = long.MinValue;

    public BitrateController(double startBps)
    {
        TargetBps = startBps;
        OutputBps = startBps;
    }

    /// <summary>Media bitrate the link supports now, smoothed: the most the stream may have.</summary>
    public double TargetBps { get; private set; }

    /// <summary>What the encoder is set to: the wanted bitrate corrected by the PID.</summary>
    public double OutputBps { get; private set; }

    /// <summary>What the encoder produced lately per encoded frame, scaled to its frame rate (NaN before a frame).</summary>
    public double MeasuredBps => _measuredBps;

    public PidController Pid => _pid;

    /// <summary>Moves the target toward <paramref name="linkMediaBps"/> (down within <paramref name="reactionMs"/>, up over 1.5 s).</summary>
    public void Steer(double linkMediaBps, double floorBps, double capBps, double reactionMs, long nowNs)
    {
        _floorBps = floorBps;
        _capBps = capBps;
        var wanted = Math.Clamp(linkMediaBps, floorBps, capBps);
        if (_lastTargetNs == long.MinValue)
        {
            TargetBps = wanted;
        }
        else
        {
            var dtMs = Math.Max(0, (nowNs - _lastTargetNs) / 1e6);
            var tau = wanted < TargetBps ? Math.Max(reactionMs, 30) / 3 : UpTimeConstantMs;
            TargetBps += (wanted - TargetBps) * (1 - Math.Exp(-dtMs / tau));
        }
        _lastTargetNs = nowNs;
    }

    /// <summary>Sets the encoder so that what it produces approaches <paramref name="wantedBps"/> (at most the target).</summary>
    public double Correct(double wantedBps, long nowNs)
    {
        var wanted = Math.Min(wantedBps, TargetBps);
        _pid.MinOutput = Math.Max(_floorBps, wanted * 0.5);
        _pid.MaxOutput = Math.Min(_capBps, wanted * 1.6);
        _pid.IntegralLimit = wanted;
        OutputBps = double.IsNaN(_measuredBps) ? wanted : _pid.Update(wanted, _measuredBps, nowNs);
        return OutputBps;
    }

    /// <summary>An encoded frame of <paramref name="bytes"/> at <paramref name="fps"/>.</summary>
    public void OnEncoded(int bytes, double fps, bool keyframe, long nowNs)
    {
        if (keyframe)
        {
            // An intra frame is several P frames' worth by design; it says nothing about the rate setting.
            return;
        }
        var sample = bytes * 8.0 * fps;
        if (double.IsNaN(_measuredBps))
        {
            _measuredBps = sample;
        }
        else
        {
            var dtMs = Math.Max(0, (nowNs - _lastMeasureNs) / 1e6);
            _measuredBps += (sample - _measuredBps) * (1 - Math.Exp(-dtMs / MeasureTimeConstantMs));
        }
        _lastMeasureNs = nowNs;
    }

    /// <summary>After a rung switch the old measurement describes another encoder: start the correction afresh.</summary>
    public void Restart()
    {
        _measuredBps = double.NaN;
        _pid.Reset();
    }
}
