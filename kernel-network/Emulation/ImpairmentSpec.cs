using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Aqs.Shared.Cli;

namespace Aqs.Kernel.Network.Emulation;

/// <summary>
/// What the emulator does to a stream, parsed from the <c>--net</c> text
/// <c>trace:FILE,loss:2%,burst:5,delay:30ms,jitter:10ms,queue:100,reorder:1%</c>. Every key is optional;
/// <c>none</c> or an empty text is a perfect link.
/// <list type="bullet">
/// <item><c>trace:FILE</c> Mahimahi capacity trace (looped); absent = unlimited bandwidth.</item>
/// <item><c>loss:P</c> mean packet loss, <c>2%</c> or <c>0.02</c>.</item>
/// <item><c>burst:B</c> mean loss-burst length in packets; B &gt; 1 makes the loss Gilbert-Elliott, else independent.</item>
/// <item><c>delay:D</c> fixed one-way delay; <c>jitter:J</c> uniform extra delay in [-J, +J] (clamped at 0).</item>
/// <item><c>jitter-reorder:on|off</c> whether jitter may reorder packets (default off: a FIFO path keeps order).</item>
/// <item><c>queue:N</c> or <c>queue:Nms</c> bottleneck drop-tail limit in packets or in queueing delay (default unbounded, as mm-link).</item>
/// <item><c>reorder:P</c> share of packets held back by <c>reorder-delay</c> (default 5ms) so later ones overtake them.</item>
/// <item><c>seed:N</c> random seed (default 1): the same spec and seed replay the same drops.</item>
/// </list>
/// Durations take <c>us</c>, <c>ms</c> or <c>s</c>; a bare number is ms.
/// </summary>
public sealed record ImpairmentSpec
{
    public string? TracePath { get; init; }
    public double LossRate { get; init; }
    public double MeanBurstLength { get; init; }
    public long DelayUs { get; init; }
    public long JitterUs { get; init; }
    public bool JitterReorders { get; init; }
    public int? QueuePackets { get; init; }
    public long? QueueDelayUs { get; init; }
    public double ReorderRate { get; init; }
    public long ReorderDelayUs { get; init; } = 5_000;
    public ulong Seed { get; init; } = 1;

    public static ImpairmentSpec None { get; } = new();

    /// <summary>True when the loss model is Gilbert-Elliott rather than independent.</summary>
    public bool IsBursty => LossRate > 0 && MeanBurstLength > 1;

    /// <summary>Parses or throws a one-line <see cref="UserFacingException"/>.</summary>
    public static ImpairmentSpec Parse(string? text) =>
        TryParse(text, out var spec, out var error) ? spec : throw new UserFacingException(error);

    public static bool TryParse(string? text, [NotNullWhen(true)] out ImpairmentSpec? spec, [NotNullWhen(false)] out string? error)
    {
        spec = None;
        error = null;
        if (string.IsNullOrWhiteSpace(text) || text.Trim() == "none")
        {
            return true;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rawItem in text.Split(','))
        {
            var item = rawItem.Trim();
            var colon = item.IndexOf(':');
            if (colon <= 0 || colon == item.Length - 1)
            {
                return Fail(text, $"'{item}' is not KEY:VALUE", out spec, out error);
            }
            var key = item[..colon].Trim().ToLowerInvariant();
            var value = item[(colon + 1)..].Trim();
            if (!seen.Add(key))
            {
                return Fail(text, $"key '{key}' given twice", out spec, out error);
            }
            string? problem = null;
            switch (key)
            {
                case "trace":
                    spec = spec with { TracePath = value };
                    break;
                case "loss":
                    if (TryFraction(value, out var loss) && loss < 1)
                    {
                        spec = spec with { LossRate = loss };
                    }
                    else
                    {
                        problem = $"loss '{value}' must be a share in [0%, 100%), e.g. 2% or 0.02";
                    }
                    break;
                case "burst":
                    if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var burst) && burst >= 1 && burst <= 10_000)
                    {
                        spec = spec with { MeanBurstLength = burst };
                    }
                    else
                    {
                        problem = $"burst '{value}' must be a mean burst length in packets, 1 to 10000";
                    }
                    break;
                case "delay":
                    if (TryDuration(value, out var delay))
                    {
                        spec = spec with { DelayUs = delay };
                    }
                    else
                    {
                        problem = $"delay '{value}' must be a duration such as 30ms, 500us or 1s";
                    }
                    break;
                case "jitter":
                    if (TryDuration(value, out var jitter))
                    {
                        spec = spec with { JitterUs = jitter };
                    }
                    else
                    {
                        problem = $"jitter '{value}' must be a duration such as 10ms";
                    }
                    break;
                case "jitter-reorder":
                    if (value is "on" or "off")
                    {
                        spec = spec with { JitterReorders = value == "on" };
                    }
                    else
                    {
                        problem = $"jitter-reorder '{value}' must be on or off";
                    }
                    break;
                case "queue":
                    if (value.EndsWith("ms", StringComparison.Ordinal) || value.EndsWith("us", StringComparison.Ordinal)
                        || (value.EndsWith('s') && !value.EndsWith("ps", StringComparison.Ordinal)))
                    {
                        if (TryDuration(value, out var queueUs) && queueUs > 0)
                        {
                            spec = spec with { QueueDelayUs = queueUs, QueuePackets = null };
                        }
                        else
                        {
                            problem = $"queue '{value}' must be a positive duration (e.g. 100ms) or packet count (e.g. 100)";
                        }
                    }
                    else if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var packets) && packets > 0)
                    {
                        spec = spec with { QueuePackets = packets, QueueDelayUs = null };
                    }
                    else
                    {
                        problem = $"queue '{value}' must be a positive packet count (e.g. 100) or duration (e.g. 100ms)";
                    }
                    break;
                case "reorder":
                    if (TryFraction(value, out var reorder) && reorder < 1)
                    {
                        spec = spec with { ReorderRate = reorder };
                    }
                    else
                    {
                        problem = $"reorder '{value}' must be a share in [0%, 100%), e.g. 1%";
                    }
                    break;
                case "reorder-delay":
                    if (TryDuration(value, out var reorderDelay) && reorderDelay > 0)
                    {
                        spec = spec with { ReorderDelayUs = reorderDelay };
                    }
                    else
                    {
                        problem = $"reorder-delay '{value}' must be a positive duration such as 5ms";
                    }
                    break;
                case "seed":
                    if (ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seed))
                    {
                        spec = spec with { Seed = seed };
                    }
                    else
                    {
                        problem = $"seed '{value}' must be a non-negative integer";
                    }
                    break;
                default:
                    problem = $"unknown key '{key}' (known: trace, loss, burst, delay, jitter, jitter-reorder, queue, reorder, reorder-delay, seed)";
                    break;
            }
            if (problem is not null)
            {
                return Fail(text, problem, out spec, out error);
            }
        }
        if (spec.MeanBurstLength > 1 && spec.LossRate > 0 && spec.LossRate / ((1 - spec.LossRate) * spec.MeanBurstLength) >= 1)
        {
            return Fail(text, $"loss {spec.LossRate:P1} with burst {spec.MeanBurstLength} is impossible (good runs would be shorter than one packet)", out spec, out error);
        }
        return true;
    }

    private static bool Fail(string text, string problem, out ImpairmentSpec? spec, out string error)
    {
        spec = null;
        error = $"--net '{text}': {problem}";
        return false;
    }

    private static bool TryFraction(string value, out double fraction)
    {
        var percent = value.EndsWith('%');
        var number = percent ? value[..^1] : value;
        if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out fraction) && double.IsFinite(fraction))
        {
            if (percent)
            {
                fraction /= 100;
            }
            return fraction >= 0;
        }
        return false;
    }

    private static bool TryDuration(string value, out long us)
    {
        us = 0;
        double scale;
        string number;
        if (value.EndsWith("us", StringComparison.Ordinal))
        {
            scale = 1;
            number = value[..^2];
        }
        else if (value.EndsWith("ms", StringComparison.Ordinal))
        {
            scale = 1000;
            number = value[..^2];
        }
        else if (value.EndsWith('s'))
        {
            scale = 1_000_000;
            number = value[..^1];
        }
        else
        {
            scale = 1000;
            number = value;
        }
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || !double.IsFinite(amount)
            || amount < 0 || amount * scale > 3_600_000_000)
        {
            return false;
        }
        us = (long)Math.Round(amount * scale);
        return true;
    }
}
