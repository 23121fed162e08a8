using System.Diagnostics;

namespace Aqs.Bench.Harness;

/// <summary>Repeats one unit of work for a while after a warm-up and says how many ran a second (wall clock).</summary>
public static class Throughput
{
    private static double _sink;

    /// <summary>Results of <paramref name="work"/> are summed into a sink so the JIT cannot drop the work.</summary>
    public static double PerSecond(double seconds, Func<double> work, int warmUp = 5)
    {
        for (var i = 0; i < warmUp; i++)
        {
            _sink += work();
        }
        var clock = Stopwatch.StartNew();
        var n = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            _sink += work();
            n++;
        }
        return n / clock.Elapsed.TotalSeconds;
    }
}
