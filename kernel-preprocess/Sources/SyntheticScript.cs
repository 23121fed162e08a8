using System.Globalization;

namespace Aqs.Kernel.Preprocess.Sources;

/// <summary>
/// Timed changes to the synthetic source, so the adaptive loop has something to react to.
/// <code>
/// script  := entry ( ';' | newline ) entry ...        (a file: one entry a line, '#' starts a comment)
/// entry   := TIME ':' action ( ',' action )*
/// TIME    := NUMBER 's' | NUMBER 'ms' | NUMBER 'f' (a frame number) | NUMBER (seconds)
/// action  := calm                  motion 1, detail 0.3, noise 0.02
///          | busy                  motion 12, detail 0.9, noise 0.1
///          | still                 motion 0
///          | pan [slow|medium|fast|N]   motion 2 / 6 / 16 / N px per frame (plain "pan" = medium)
///          | motion N | detail X | noise X      set one value (px/frame, 0..1, 0..1)
///          | cuts N                scene cut every N seconds from here on (0 = stop)
///          | cut                   one scene cut at this time
/// </code>
/// Example: <c>0s:calm;3s:pan fast;6s:cut;6s:detail 0.9</c>. Entries may come in any order; those at the same time
/// apply in the order written. Values not changed keep the options' value. Pass <c>@FILE</c> to read a file.
/// </summary>
public sealed class SyntheticScript
{
    public const double MaxMotion = 512;

    /// <summary>The parsed entries in written order.</summary>
    public IReadOnlyList<ScriptEntry> Entries { get; }

    private SyntheticScript(IReadOnlyList<ScriptEntry> entries)
    {
        Entries = entries;
    }

    /// <summary>One timed change: at <see cref="Time"/> (seconds, or a frame number when <see cref="InFrames"/>), apply the actions.</summary>
    public sealed record ScriptEntry(double Time, bool InFrames, IReadOnlyList<ScriptAction> Actions, string Text);

    /// <summary>Sets <see cref="Value"/> into one field (<see cref="Kind"/>); Cut has no value.</summary>
    public readonly record struct ScriptAction(ScriptActionKind Kind, double Value);

    public enum ScriptActionKind
    {
        /// <summary>Background pan speed, px/frame.</summary>
        Motion,
        /// <summary>Fine texture amount 0..1.</summary>
        Detail,
        /// <summary>Noise amount 0..1.</summary>
        Noise,
        /// <summary>Scene cut period in seconds (0 = none).</summary>
        CutEvery,
        /// <summary>A single scene cut.</summary>
        Cut,
    }

    /// <summary>Parses script text, or the file named after '@'. One-line <see cref="SourceException"/> on error.</summary>
    public static SyntheticScript Parse(string text)
    {
        var source = "synthetic script";
        if (text.StartsWith('@'))
        {
            var path = text[1..];
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new SourceException($"synthetic script {path}: cannot read: {e.Message}");
            }
            source = $"synthetic script {path}";
        }
        var entries = new List<ScriptEntry>();
        var lines = text.Split('\n');
        for (var lineNo = 0; lineNo < lines.Length; lineNo++)
        {
            var line = lines[lineNo];
            var hash = line.IndexOf('#');
            if (hash >= 0)
            {
                line = line[..hash];
            }
            foreach (var raw in line.Split(';'))
            {
                var entry = raw.Trim();
                if (entry.Length == 0)
                {
                    continue;
                }
                var where = lines.Length > 1 ? $"{source} line {lineNo + 1}" : source;
                entries.Add(ParseEntry(entry, where));
            }
        }
        if (entries.Count == 0)
        {
            throw new SourceException($"{source}: no entries; expected e.g. '0s:calm;3s:pan fast;6s:cut'");
        }
        // Kept in written order; the timeline sorts them once it knows the frame rate.
        return new SyntheticScript(entries);
    }

    private static ScriptEntry ParseEntry(string entry, string where)
    {
        var colon = entry.IndexOf(':');
        if (colon <= 0)
        {
            throw new SourceException($"{where}: entry '{entry}' must be TIME:ACTION, e.g. '3s:pan fast'");
        }
        var timeText = entry[..colon].Trim();
        var (time, inFrames) = ParseTime(timeText, entry, where);
        var actions = new List<ScriptAction>();
        foreach (var part in entry[(colon + 1)..].Split(','))
        {
            var words = part.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (words.Length == 0)
            {
                throw new SourceException($"{where}: entry '{entry}' has an empty action");
            }
            actions.AddRange(ParseAction(words, entry, where));
        }
        return new ScriptEntry(time, inFrames, actions, entry);
    }

    private static (double, bool) ParseTime(string text, string entry, string where)
    {
        var inFrames = false;
        var scale = 1.0;
        var number = text;
        if (text.EndsWith("ms", StringComparison.OrdinalIgnoreCase))
        {
            number = text[..^2];
            scale = 0.001;
        }
        else if (text.EndsWith('s') || text.EndsWith('S'))
        {
            number = text[..^1];
        }
        else if (text.EndsWith('f') || text.EndsWith('F'))
        {
            number = text[..^1];
            inFrames = true;
        }
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value > 1e7)
        {
            throw new SourceException($"{where}: entry '{entry}' has bad time '{text}': expected e.g. 3s, 250ms or 90f");
        }
        return (value * scale, inFrames);
    }

    private static IEnumerable<ScriptAction> ParseAction(string[] words, string entry, string where)
    {
        var verb = words[0].ToLowerInvariant();
        double Arg(double min, double max, string unit)
        {
            if (words.Length != 2 || !double.TryParse(words[1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v) || v < min || v > max)
            {
                throw new SourceException($"{where}: entry '{entry}': '{string.Join(' ', words)}' needs one number {min}..{max} ({unit})");
            }
            return v;
        }
        void NoArg()
        {
            if (words.Length != 1)
            {
                throw new SourceException($"{where}: entry '{entry}': '{verb}' takes no value");
            }
        }
        switch (verb)
        {
            case "calm":
                NoArg();
                return [new(ScriptActionKind.Motion, 1), new(ScriptActionKind.Detail, 0.3), new(ScriptActionKind.Noise, 0.02)];
            case "busy":
                NoArg();
                return [new(ScriptActionKind.Motion, 12), new(ScriptActionKind.Detail, 0.9), new(ScriptActionKind.Noise, 0.1)];
            case "still":
                NoArg();
                return [new(ScriptActionKind.Motion, 0)];
            case "cut":
                NoArg();
                return [new(ScriptActionKind.Cut, 0)];
            case "pan":
                if (words.Length == 1)
                {
                    return [new(ScriptActionKind.Motion, 6)];
                }
                return words[1].ToLowerInvariant() switch
                {
                    "slow" when words.Length == 2 => [new(ScriptActionKind.Motion, 2)],
                    "medium" when words.Length == 2 => [new(ScriptActionKind.Motion, 6)],
                    "fast" when words.Length == 2 => [new(ScriptActionKind.Motion, 16)],
                    _ => char.IsAsciiDigit(words[1][0])
                        ? [new(ScriptActionKind.Motion, Arg(0, MaxMotion, "px per frame"))]
                        : throw new SourceException($"{where}: entry '{entry}': unknown pan speed '{words[1]}'; use slow, medium, fast or px per frame"),
                };
            case "motion":
                return [new(ScriptActionKind.Motion, Arg(0, MaxMotion, "px per frame"))];
            case "detail":
                return [new(ScriptActionKind.Detail, Arg(0, 1, "texture amount"))];
            case "noise":
                return [new(ScriptActionKind.Noise, Arg(0, 1, "noise amount"))];
            case "cuts":
                return [new(ScriptActionKind.CutEvery, Arg(0, 3600, "seconds between cuts"))];
            default:
                throw new SourceException($"{where}: entry '{entry}': unknown action '{words[0]}'; actions: calm, busy, still, pan [slow|medium|fast|N], motion N, detail X, noise X, cuts N, cut");
        }
    }
}
