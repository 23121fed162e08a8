namespace Aqs.Engine.Rate;

/// <summary>
/// The seed's PID (3.3) with anti-windup: <c>u = target + Kp·e + Ki·∫e + Kd·de/dt</c>, e = target − measured, the
/// output clamped to [<see cref="MinOutput"/>, <see cref="MaxOutput"/>] and the integral frozen while the output is
/// pinned against a bound in the direction of the error (conditional integration). The target is fed forward, so
/// a step of the target moves the output at once and the PID only corrects the encoder's steady bias.
/// Gains are per second of error; time is passed in. Not thread-safe.
/// </summary>
public sealed class PidController(double kp, double ki, double kd)
{
    private double _integral;
    private double _lastError;
    private long _lastNs = long.MinValue;

    public double Kp { get; } = kp;
    public double Ki { get; } = ki;
    public double Kd { get; } = kd;

    /// <summary>Largest |integral| kept (in units of error × seconds).</summary>
    public double IntegralLimit { get; set; } = double.PositiveInfinity;

    public double MinOutput { get; set; } = double.NegativeInfinity;
    public double MaxOutput { get; set; } = double.PositiveInfinity;
    public double Output { get; private set; }
    public double Integral => _integral;

    public double Update(double target, double measured, long nowNs)
    {
        var error = target - measured;
        var dt = _lastNs == long.MinValue ? 0 : Math.Clamp((nowNs - _lastNs) / 1e9, 0, 1);
        _lastNs = nowNs;
        var derivative = dt > 0 ? (error - _lastError) / dt : 0;
        _lastError = error;
        var candidate = _integral + error * dt;
        var raw = target + Kp * error + Ki * candidate + Kd * derivative;
        var pinnedHigh = raw > MaxOutput && error > 0;
        var pinnedLow = raw < MinOutput && error < 0;
        if (!pinnedHigh && !pinnedLow)
        {
            _integral = Math.Clamp(candidate, -IntegralLimit, IntegralLimit);
        }
        Output = Math.Clamp(target + Kp * error + Ki * _integral + Kd * derivative, MinOutput, MaxOutput);
        return Output;
    }

    public void Reset()
    {
        _integral = 0;
        _lastError = 0;
        _lastNs = long.MinValue;
    }
}
