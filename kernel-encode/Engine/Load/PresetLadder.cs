namespace Aqs.Engine.Load;

/// <summary>x264's speed presets from fastest to slowest: the ladder the load governor walks.</summary>
public static class PresetLadder
{
    public static IReadOnlyList<string> Names { get; } = ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow"];

    /// <summary>Index of <paramref name="preset"/>; an unknown name (a codec's own number) counts as veryfast.</summary>
    public static int IndexOf(string preset)
    {
        for (var i = 0; i < Names.Count; i++)
        {
            if (string.Equals(Names[i], preset, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }
        return 2;
    }
}
