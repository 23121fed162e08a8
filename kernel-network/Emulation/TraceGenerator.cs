namespace Aqs.Kernel.Network.Emulation;

/// <summary>
/// Makes synthetic Mahimahi traces so tests need no recorded data. Opportunities are spread by an
/// accumulator of bits due over ms 1..duration, so any window of a few hundred ms carries the
/// requested rate to within one packet.
/// </summary>
public static class TraceGenerator
{
    private const double BitsPerOpportunity = MahimahiTrace.BytesPerOpportunity * 8.0;

    /// <summary>A trace whose capacity at millisecond t is <paramref name="bitsPerSecondAt"/>(t).</summary>
    public static MahimahiTrace FromRate(string name, int durationMs, Func<int, double> bitsPerSecondAt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(durationMs, 1);
        var list = new List<int>();
        var cumulativeBits = 0.0;
        for (var ms = 1; ms <= durationMs; ms++)
        {
            var bps = bitsPerSecondAt(ms);
            if (bps < 0 || double.IsNaN(bps))
            {
                throw new ArgumentOutOfRangeException(nameof(bitsPerSecondAt), $"rate at {ms} ms must be >= 0: {bps}");
            }
            cumulativeBits += bps / 1000.0;
            // The small epsilon keeps exact multiples (0.1 × 10) from rounding one ms late.
            var due = (long)Math.Floor(cumulativeBits / BitsPerOpportunity + 1e-9);
            while (list.Count < due)
            {
                list.Add(ms);
            }
        }
        if (list.Count == 0 || list[^1] != durationMs)
        {
            // The last timestamp is the loop period; pin it so the trace loops at exactly durationMs.
            list.Add(durationMs);
        }
        return new MahimahiTrace(name, list.ToArray());
    }

    public static MahimahiTrace Constant(double bitsPerSecond, int durationMs = 10_000) =>
        FromRate($"constant-{bitsPerSecond / 1e6:0.###}M", durationMs, _ => bitsPerSecond);

    /// <summary><paramref name="beforeBps"/> until <paramref name="stepAtMs"/>, then <paramref name="afterBps"/> (a drop or a rise).</summary>
    public static MahimahiTrace Step(double beforeBps, double afterBps, int stepAtMs, int durationMs) =>
        FromRate($"step-{beforeBps / 1e6:0.###}M-{afterBps / 1e6:0.###}M@{stepAtMs}ms", durationMs,
            ms => ms <= stepAtMs ? beforeBps : afterBps);

    /// <summary>Linear ramps from <paramref name="lowBps"/> up to <paramref name="highBps"/> every <paramref name="periodMs"/>, then back to low.</summary>
    public static MahimahiTrace Sawtooth(double lowBps, double highBps, int periodMs, int durationMs) =>
        FromRate($"sawtooth-{lowBps / 1e6:0.###}M-{highBps / 1e6:0.###}M/{periodMs}ms", durationMs,
            ms => lowBps + (highBps - lowBps) * (ms % periodMs) / periodMs);
}
