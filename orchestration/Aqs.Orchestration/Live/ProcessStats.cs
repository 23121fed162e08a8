using System.Globalization;

namespace Aqs.Orchestration.Live;

/// <summary>CPU time, resident memory and open descriptors of a process, read from /proc (null where unreadable).</summary>
public readonly record struct ProcessReading(double CpuSeconds, double RssMb, int OpenFds);

public static class ProcessStats
{
    // USER_HZ: what /proc/PID/stat counts CPU time in; 100 on every Linux ABI we run on.
    private const double ClockTicksPerSecond = 100.0;

    public static ProcessReading? Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) may hold spaces: fields are counted after its closing parenthesis.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var utime = double.Parse(fields[11], CultureInfo.InvariantCulture);
            var stime = double.Parse(fields[12], CultureInfo.InvariantCulture);
            var rssPages = double.Parse(fields[21], CultureInfo.InvariantCulture);
            var fds = Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Count();
            return new ProcessReading((utime + stime) / ClockTicksPerSecond, rssPages * Environment.SystemPageSize / 1048576.0, fds);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
