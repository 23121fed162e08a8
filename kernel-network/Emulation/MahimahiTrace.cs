using System.Globalization;
using Aqs.Shared.Cli;

namespace Aqs.Kernel.Network.Emulation;

/// <summary>
/// A link-capacity trace in Mahimahi's format: each line an integer millisecond at which one
/// <see cref="BytesPerOpportunity"/>-byte delivery opportunity occurs, ascending, repeated timestamps allowed.
/// Like <c>mm-link</c>, the trace loops with a period equal to its last timestamp. Immutable.
/// </summary>
public sealed class MahimahiTrace
{
    /// <summary>Mahimahi's MTU: every opportunity may carry this many bytes.</summary>
    public const int BytesPerOpportunity = 1500;

    private readonly int[] _opportunityMs;

    public MahimahiTrace(string name, int[] opportunityMs)
    {
        ArgumentNullException.ThrowIfNull(opportunityMs);
        if (opportunityMs.Length == 0)
        {
            throw new UserFacingException($"trace {name}: no delivery opportunities");
        }
        for (var i = 1; i < opportunityMs.Length; i++)
        {
            if (opportunityMs[i] < opportunityMs[i - 1])
            {
                throw new UserFacingException($"trace {name}: timestamps must not decrease (index {i}: {opportunityMs[i]} after {opportunityMs[i - 1]})");
            }
        }
        if (opportunityMs[^1] <= 0)
        {
            throw new UserFacingException($"trace {name}: last timestamp must be > 0 ms (it is the loop period)");
        }
        Name = name;
        _opportunityMs = opportunityMs;
    }

    public string Name { get; }

    /// <summary>Loop period in ms (the last timestamp, as mm-link uses it).</summary>
    public int PeriodMs => _opportunityMs[^1];

    public int OpportunityCount => _opportunityMs.Length;

    public ReadOnlySpan<int> OpportunityMs => _opportunityMs;

    /// <summary>Mean capacity over one period in bit/s.</summary>
    public double MeanBitsPerSecond => _opportunityMs.Length * (double)BytesPerOpportunity * 8 * 1000 / PeriodMs;

    /// <summary>Capacity in bit/s over [fromMs, toMs) of looped trace time.</summary>
    public double CapacityBitsPerSecond(long fromMs, long toMs)
    {
        if (toMs <= fromMs)
        {
            return 0;
        }
        var count = CountOpportunities(toMs) - CountOpportunities(fromMs);
        return count * (double)BytesPerOpportunity * 8 * 1000 / (toMs - fromMs);
    }

    /// <summary>Number of opportunities at looped times strictly before <paramref name="ms"/>.</summary>
    public long CountOpportunities(long ms) => FirstOpportunityAtOrAfter(ms);

    /// <summary>Opportunity time in ms for global opportunity index <paramref name="index"/> (looped).</summary>
    public long OpportunityTimeMs(long index)
    {
        var loop = index / _opportunityMs.Length;
        return loop * PeriodMs + _opportunityMs[(int)(index % _opportunityMs.Length)];
    }

    /// <summary>First global opportunity index whose time is at or after <paramref name="ms"/>.</summary>
    public long FirstOpportunityAtOrAfter(long ms)
    {
        if (ms <= 0)
        {
            return 0;
        }
        var loop = ms / PeriodMs;
        var inLoop = (int)(ms - loop * PeriodMs);
        if (inLoop == 0)
        {
            // The previous loop's last timestamps (== period) land exactly on ms and come first.
            loop--;
            inLoop = PeriodMs;
        }
        return loop * _opportunityMs.Length + LowerBound(inLoop);
    }

    private int LowerBound(int value)
    {
        int lo = 0, hi = _opportunityMs.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_opportunityMs[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    /// <summary>Reads a trace file; a malformed line gives a one-line <see cref="UserFacingException"/> naming file:line.</summary>
    /// <summary>Writes the trace in Mahimahi's format (one millisecond timestamp per line), as <see cref="Parse"/> reads it.</summary>
    public void WriteTo(TextWriter writer)
    {
        foreach (var ms in _opportunityMs)
        {
            writer.Write(ms.ToString(System.Globalization.CultureInfo.InvariantCulture));
            writer.Write('\n');
        }
    }

    public static MahimahiTrace Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new UserFacingException($"trace {path}: file not found");
        }
        using var reader = new StreamReader(path);
        return Parse(reader, path);
    }

    public static MahimahiTrace Parse(TextReader reader, string name)
    {
        var values = new List<int>();
        var lineNumber = 0;
        var previous = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var text = line.Trim();
            if (text.Length == 0)
            {
                continue;
            }
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
            {
                throw new UserFacingException($"{name}:{lineNumber}: expected a non-negative integer millisecond, got '{Shorten(text)}'");
            }
            if (ms < previous)
            {
                throw new UserFacingException($"{name}:{lineNumber}: timestamp {ms} is before the previous one ({previous})");
            }
            previous = ms;
            values.Add(ms);
        }
        if (values.Count == 0)
        {
            throw new UserFacingException($"{name}: empty trace (no timestamps)");
        }
        if (values[^1] == 0)
        {
            throw new UserFacingException($"{name}:{lineNumber}: last timestamp must be > 0 ms (it is the loop period)");
        }
        return new MahimahiTrace(name, values.ToArray());
    }

    private static string Shorten(string s) => s.Length <= 20 ? s : s[..20] + "...";
}
