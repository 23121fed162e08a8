namespace Aqs.Engine.Config;

/// <summary>
/// One user setting of the engine: its flag name (kebab-case, also its key in a preset file), what it does, and how
/// its text becomes a field of <see cref="AqsConfig"/>. <see cref="AqsSettings.All"/> is the one table the kernel's
/// command line, <c>aqs run</c> and preset files are all built from.
/// </summary>
/// <param name="Name">Flag name without dashes ("vmaf-target").</param>
/// <param name="Help">One line for --help, with the accepted values.</param>
/// <param name="IsSwitch">A switch takes no value on the command line (true in a preset file).</param>
/// <param name="Apply">Parses the text onto a config; a bad value throws <see cref="AqsConfigException"/>.</param>
public sealed record AqsSetting(string Name, string Help, bool IsSwitch, Func<AqsConfig, string, AqsConfig> Apply)
{
    public string Flag => "--" + Name;
}
