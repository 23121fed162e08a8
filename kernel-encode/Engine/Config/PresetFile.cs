using System.Globalization;
using Tomlyn;
using Tomlyn.Model;

namespace Aqs.Engine.Config;

/// <summary>
/// A TOML file of engine settings, keyed by flag name without the dashes:
/// <code>
/// mode = "sports"
/// temporal-min = 90
/// spatial-floor = "720p"
/// disable-advanced-analysis = true
/// </code>
/// Flags given on the command line override it. Unknown keys and bad values are one-line errors naming the file.
/// </summary>
public static class PresetFile
{
    public static AqsConfig Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AqsConfigException($"--preset-file {path}: {ex.Message}");
        }
        return Parse(text, path);
    }

    public static AqsConfig Parse(string text, string name)
    {
        TomlTable table;
        try
        {
            table = TomlSerializer.Deserialize<TomlTable>(text) ?? new TomlTable();
        }
        catch (TomlException ex)
        {
            throw new AqsConfigException($"{name}: not TOML: {FirstLine(ex.Message)}");
        }
        var config = AqsConfig.Empty;
        foreach (var (key, value) in table)
        {
            var setting = AqsSettings.Find(key)
                ?? throw new AqsConfigException($"{name}: unknown key '{key}' (known: {string.Join(", ", AqsSettings.All.Select(s => s.Name))})");
            var textValue = value switch
            {
                string s => s,
                bool b => b ? "on" : "off",
                long l => l.ToString(CultureInfo.InvariantCulture),
                double d => d.ToString(CultureInfo.InvariantCulture),
                _ => throw new AqsConfigException($"{name}: '{key}' must be a string, number or true/false"),
            };
            try
            {
                config = setting.Apply(config, textValue);
            }
            catch (AqsConfigException ex)
            {
                throw new AqsConfigException($"{name}: {ex.Message}");
            }
        }
        return config;
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
