using System.Globalization;

namespace Aqs.Shared.Cli;

/// <summary>Parses durations as users type them: <c>10s</c>, <c>500ms</c>, <c>2m</c>, <c>1h</c>, or plain seconds.</summary>
public static class DurationParser
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        text = text.Trim();
        var (number, scale) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) => (text[..^2], 1e-3),
            _ when text.EndsWith("us", StringComparison.OrdinalIgnoreCase) => (text[..^2], 1e-6),
            _ when text.EndsWith('s') || text.EndsWith('S') => (text[..^1], 1.0),
            _ when text.EndsWith('m') || text.EndsWith('M') => (text[..^1], 60.0),
            _ when text.EndsWith('h') || text.EndsWith('H') => (text[..^1], 3600.0),
            _ => (text, 1.0),
        };
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            || !double.IsFinite(value) || value < 0 || value * scale > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return false;
        }
        duration = TimeSpan.FromSeconds(value * scale);
        return true;
    }

    public static TimeSpan Parse(string text, string optionName) =>
        TryParse(text, out var duration)
            ? duration
            : throw new UserFacingException($"{optionName}: '{text}' is not a duration (examples: 10s, 500ms, 2m)", CommandLineHost.ExitUsage);
}
