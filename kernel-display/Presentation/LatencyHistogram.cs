using HdrHistogram;

namespace Aqs.Kernel.Display.Presentation;

/// <summary>Latency samples in microseconds up to a minute, three significant digits; percentiles and a coarse histogram in ms.</summary>
public sealed class LatencyHistogram
{
    /// <summary>Upper bounds (ms) of the buckets the summary prints; the last bucket is open.</summary>
    public static readonly int[] BucketUpperMs = [17, 33, 50, 100, 200, 500, 1000, 2000, 5000];

    private readonly LongHistogram _us = new(TimeStamp.Seconds(60) / 1000, 3);
    private readonly long[] _buckets = new long[BucketUpperMs.Length + 1];
    private double _sumMs;

    public long Count => _us.TotalCount;

    public void Record(long latencyNs)
    {
        var us = Math.Clamp(latencyNs / 1000, 0, _us.HighestTrackableValue);
        _us.RecordValue(us);
        var ms = us / 1000.0;
        _sumMs += ms;
        var i = 0;
        while (i < BucketUpperMs.Length && ms >= BucketUpperMs[i])
        {
            i++;
        }
        _buckets[i]++;
    }

    public double? PercentileMs(double p) => Count > 0 ? _us.GetValueAtPercentile(p) / 1000.0 : null;

    public double? MeanMs => Count > 0 ? _sumMs / Count : null;

    public double? MaxMs => Count > 0 ? _us.GetMaxValue() / 1000.0 : null;

    /// <summary>"&lt;17 ms": n, "17-33 ms": n, ... with empty buckets left out.</summary>
    public Dictionary<string, long> Buckets()
    {
        var result = new Dictionary<string, long>();
        for (var i = 0; i < _buckets.Length; i++)
        {
            if (_buckets[i] == 0)
            {
                continue;
            }
            var name = i == 0 ? $"<{BucketUpperMs[0]}" : i == BucketUpperMs.Length ? $">={BucketUpperMs[^1]}" : $"{BucketUpperMs[i - 1]}-{BucketUpperMs[i]}";
            result[name + " ms"] = _buckets[i];
        }
        return result;
    }
}
