using System.Globalization;

namespace Aqs.Shared.Telemetry;

/// <summary>
/// CPU package power from the kernel's RAPL interface (/sys/class/powercap/intel-rapl:0/energy_uj, AMD's too),
/// over the interval between two samples, handling the counter's wrap. Many machines (VMs, containers without
/// the powercap mount, unprivileged users since Linux 5.10) cannot read it: then <see cref="Available"/> is false
/// and <see cref="Watts"/> NaN.
/// </summary>
public sealed class RaplPower
{
    private const string Zone = "/sys/class/powercap/intel-rapl:0";
    private readonly long _range;
    private long _lastMicrojoules = -1;
    private long _lastNs;

    public RaplPower()
    {
        _range = ReadLong(Path.Combine(Zone, "max_energy_range_uj"));
        Available = _range > 0 && ReadLong(Path.Combine(Zone, "energy_uj")) >= 0;
        Why = Available ? null : $"{Zone}/energy_uj is not readable here";
    }

    public bool Available { get; }

    /// <summary>Why power is unavailable, in words (null when it is available).</summary>
    public string? Why { get; }

    public double Watts { get; private set; } = double.NaN;

    public void Sample(long nowNs)
    {
        if (!Available)
        {
            return;
        }
        var energy = ReadLong(Path.Combine(Zone, "energy_uj"));
        if (energy < 0)
        {
            Watts = double.NaN;
            return;
        }
        if (_lastMicrojoules >= 0 && nowNs > _lastNs)
        {
            var delta = energy - _lastMicrojoules;
            if (delta < 0)
            {
                delta += _range;
            }
            Watts = delta / 1e6 / ((nowNs - _lastNs) / 1e9);
        }
        _lastMicrojoules = energy;
        _lastNs = nowNs;
    }

    private static long ReadLong(string path)
    {
        try
        {
            return long.Parse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return -1;
        }
    }
}
