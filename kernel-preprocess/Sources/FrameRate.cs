using System.Globalization;

namespace Aqs.Kernel.Preprocess.Sources;

/// <summary>An exact frame rate Numerator/Denominator (30000/1001), so timestamps do not drift over long runs.</summary>
public readonly record struct FrameRate(long Numerator, long Denominator)
{
    public double Fps => (double)Numerator / Denominator;

    /// <summary>Timestamp of frame <paramref name="frame"/> in ns, exact to the ns (Int128 so 8K120 for years cannot overflow).</summary>
    public long PtsNs(long frame) => (long)((Int128)frame * 1_000_000_000 * Denominator / Numerator);

    /// <summary>Duration of one frame in ns (rounded down).</summary>
    public long FrameDurationNs => PtsNs(1);

    /// <summary>Parses "N", "N/D", "N:D" or a decimal ("29.97"); positive, at most 1000 fps.</summary>
    public static bool TryParse(string? text, out FrameRate rate)
    {
        rate = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var t = text.Trim();
        var sep = t.IndexOfAny(['/', ':']);
        if (sep >= 0)
        {
            if (!long.TryParse(t.AsSpan(0, sep), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                || !long.TryParse(t.AsSpan(sep + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var d))
            {
                return false;
            }
            return TryCreate(n, d, out rate);
        }
        if (long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var whole))
        {
            return TryCreate(whole, 1, out rate);
        }
        if (double.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var fps) && fps > 0 && fps <= 1000)
        {
            return TryCreate((long)Math.Round(fps * 1000), 1000, out rate);
        }
        return false;
    }

    public static bool TryCreate(long numerator, long denominator, out FrameRate rate)
    {
        rate = default;
        if (numerator <= 0 || denominator <= 0 || numerator > int.MaxValue || denominator > int.MaxValue || numerator > 1000L * denominator)
        {
            return false;
        }
        rate = new FrameRate(numerator, denominator);
        return true;
    }

    /// <summary>The closest rational with a small denominator for a double rate (60 → 60/1, 59.94 → 59940/1000).</summary>
    public static FrameRate FromDouble(double fps)
    {
        if (Math.Abs(fps - Math.Round(fps)) < 1e-9)
        {
            return new FrameRate((long)Math.Round(fps), 1);
        }
        return new FrameRate((long)Math.Round(fps * 1000), 1000);
    }

    public override string ToString() => Denominator == 1
        ? Numerator.ToString(CultureInfo.InvariantCulture)
        : $"{Numerator.ToString(CultureInfo.InvariantCulture)}/{Denominator.ToString(CultureInfo.InvariantCulture)}";
}
