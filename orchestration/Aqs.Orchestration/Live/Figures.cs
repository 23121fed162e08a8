using System.Globalization;

namespace Aqs.Orchestration.Live;

/// <summary>How every view writes a figure: invariant culture, "n/a" for what nobody measured.</summary>
public static class Figures
{
    public static string Fmt(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    public static string Or(double? value, string format) =>
        value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "n/a";

    public static string Mbps(double? bps) => Or(bps / 1e6, "F2");
}
