namespace Aqs.Kernel.Network.Emulation;

/// <summary>
/// How the sender used an emulated link over a run: the time it sent above the trace's capacity (over the last
/// second, as <see cref="Transport.LinkSnapshot.EmulatedCapacityBps"/> gives it) and the mean capacity it had.
/// Fed with time-stamped samples; time between samples is charged to the later one. Single-threaded.
/// </summary>
public sealed class CapacityUse
{
    private long _lastNs = long.MinValue;
    private double _capacityBitSeconds;

    public double SecondsAboveCapacity { get; private set; }
    public double SecondsMeasured { get; private set; }

    /// <summary>Mean capacity over the measured time, bit/s (NaN before any).</summary>
    public double MeanCapacityBps => SecondsMeasured > 0 ? _capacityBitSeconds / SecondsMeasured : double.NaN;

    public void Sample(long nowNs, double sendBps, double capacityBps)
    {
        var seconds = _lastNs == long.MinValue ? 0 : (nowNs - _lastNs) / 1e9;
        _lastNs = nowNs;
        if (double.IsNaN(capacityBps) || seconds <= 0)
        {
            return;
        }
        SecondsMeasured += seconds;
        _capacityBitSeconds += capacityBps * seconds;
        if (sendBps > capacityBps)
        {
            SecondsAboveCapacity += seconds;
        }
    }
}
