using System.Globalization;

namespace Aqs.Shared.Telemetry;

/// <summary>
/// CPU use from /proc: this process (utime + stime of /proc/self/stat, in cores) and the whole machine (the
/// non-idle share of /proc/stat's cpu line), over the interval between two <see cref="Sample"/> calls. Where
/// /proc cannot be read, the figures are NaN ("unavailable"), never guessed.
/// </summary>
public sealed class CpuUsage
{
    private static readonly double TicksPerSecond = 100; // USER_HZ: 100 on every Linux ABI we run on
    private long _lastProcessTicks = -1;
    private long _lastWallNs;
    private long _lastBusy = -1;
    private long _lastTotal;

    /// <summary>This process's CPU use since the last sample, in cores (NaN when unreadable or on the first call).</summary>
    public double ProcessCores { get; private set; } = double.NaN;

    /// <summary>The machine's CPU use since the last sample, 0..1 (NaN when unreadable or on the first call).</summary>
    public double Machine { get; private set; } = double.NaN;

    public void Sample(long nowNs)
    {
        var ticks = ReadProcessTicks();
        if (ticks >= 0 && _lastProcessTicks >= 0 && nowNs > _lastWallNs)
        {
            ProcessCores = (ticks - _lastProcessTicks) / TicksPerSecond / ((nowNs - _lastWallNs) / 1e9);
        }
        _lastProcessTicks = ticks;
        _lastWallNs = nowNs;
        if (TryReadMachine(out var busy, out var total))
        {
            if (_lastBusy >= 0 && total > _lastTotal)
            {
                Machine = Math.Clamp((double)(busy - _lastBusy) / (total - _lastTotal), 0, 1);
            }
            _lastBusy = busy;
            _lastTotal = total;
        }
    }

    private static long ReadProcessTicks()
    {
        try
        {
            var stat = File.ReadAllText("/proc/self/stat");
            // Fields after the command name (which may hold spaces) start past the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // utime and stime are fields 14 and 15 of the whole line: 12 and 13 past the name and state.
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return -1;
        }
    }

    private static bool TryReadMachine(out long busy, out long total)
    {
        busy = total = 0;
        try
        {
            using var reader = new StreamReader("/proc/stat");
            var line = reader.ReadLine();
            if (line is null || !line.StartsWith("cpu ", StringComparison.Ordinal))
            {
                return false;
            }
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            for (var i = 1; i < parts.Length; i++)
            {
                var v = long.Parse(parts[i], CultureInfo.InvariantCulture);
                total += v;
                // idle (4th) and iowait (5th) are not busy.
                busy += i is 4 or 5 ? 0 : v;
            }
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return false;
        }
    }
}
