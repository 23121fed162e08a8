using System.CommandLine;
using Aqs.Engine.Config;
using Aqs.Shared.Cli;

namespace Aqs.Kernel.Encode;

/// <summary>
/// The AQS engine's settings as command-line options, built from <see cref="AqsSettings.All"/> (the one table the
/// preset file uses too) plus <c>--preset-file</c>. Kernel C and <c>aqs run</c> each make their own set: the
/// kernel reads it into an <see cref="AqsConfig"/>, the launcher forwards what the user gave to the kernel.
/// </summary>
public sealed class AqsFlags
{
    private readonly List<(AqsSetting Setting, Option Option)> _settings = [];

    public AqsFlags()
    {
        foreach (var setting in AqsSettings.All)
        {
            Option option = setting.IsSwitch
                ? new Option<bool>(setting.Flag) { Description = setting.Help }
                : new Option<string?>(setting.Flag) { Description = setting.Help };
            _settings.Add((setting, option));
        }
    }

    public Option<string?> PresetFile { get; } = new("--preset-file")
    {
        Description = "TOML file of these settings, keyed by flag name without dashes (mode = \"sports\"); flags override it",
    };

    public IEnumerable<Option> All => _settings.Select(s => s.Option).Append(PresetFile);

    public void AddTo(Command command)
    {
        foreach (var option in All)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The preset file (if any) with the flags given on top; a bad value is a one-line usage error.</summary>
    public AqsConfig Read(ParseResult parse)
    {
        try
        {
            var config = parse.GetValue(PresetFile) is { } file ? Engine.Config.PresetFile.Load(file) : AqsConfig.Empty;
            foreach (var (setting, option) in _settings)
            {
                if (Given(parse, option) is { } text)
                {
                    config = setting.Apply(config, text);
                }
            }
            config.CheckContradictions();
            return config;
        }
        catch (AqsConfigException ex)
        {
            throw new UserFacingException(ex.Message, CommandLineHost.ExitUsage);
        }
    }

    /// <summary>What the user gave, as arguments for kernel-encode (checked first, so a typo fails in the launcher).</summary>
    public IReadOnlyList<string> Forward(ParseResult parse)
    {
        Read(parse);
        var args = new List<string>();
        foreach (var (setting, option) in _settings)
        {
            if (Given(parse, option) is { } text)
            {
                args.AddRange(setting.IsSwitch ? (text == "on" ? [setting.Flag] : []) : [setting.Flag, text]);
            }
        }
        if (parse.GetValue(PresetFile) is { } presetFile)
        {
            args.AddRange([PresetFile.Name, Path.GetFullPath(presetFile)]);
        }
        return args;
    }

    private static string? Given(ParseResult parse, Option option)
    {
        var result = parse.GetResult(option);
        if (result is null || result.Implicit)
        {
            return null;
        }
        return option switch
        {
            Option<bool> flag => parse.GetValue(flag) ? "on" : "off",
            Option<string?> text => parse.GetValue(text),
            _ => null,
        };
    }
}
