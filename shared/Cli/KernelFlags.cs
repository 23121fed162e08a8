using System.CommandLine;

namespace Aqs.Shared.Cli;

/// <summary>
/// A kernel's options as one table (name, help, default, check): the kernel adds them to its own command and
/// reads its settings from them; <c>aqs run</c> adds the same options to its command and forwards what the user
/// gave, unchanged, to the kernel, after the same checks, so a typo fails in the launcher with the kernel's words.
/// </summary>
public abstract class KernelFlags
{
    /// <summary>Every option of the table, in help order.</summary>
    public abstract IEnumerable<Option> All { get; }

    /// <summary>Options <c>aqs run</c> sets itself (the pipeline's plumbing); they are not offered there.</summary>
    public virtual IEnumerable<Option> PipelineOwned => [];

    /// <summary>Checks the given values as the kernel would; throws a one-line <see cref="UserFacingException"/>.</summary>
    public abstract void Validate(ParseResult parse);

    public void AddTo(Command command)
    {
        foreach (var option in All)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Adds the options a pipeline run offers: all but <see cref="PipelineOwned"/> and those <paramref name="command"/> already has.</summary>
    public void AddForwardedTo(Command command)
    {
        var owned = PipelineOwned.ToHashSet();
        foreach (var option in All.Where(o => !owned.Contains(o) && command.Options.All(c => c.Name != o.Name)))
        {
            command.Options.Add(option);
        }
    }

    /// <summary>What the user gave explicitly, as the kernel's arguments (checked first).</summary>
    public IReadOnlyList<string> Forward(ParseResult parse)
    {
        Validate(parse);
        var args = new List<string>();
        foreach (var option in All)
        {
            var result = parse.GetResult(option);
            if (result is null || result.Implicit)
            {
                continue;
            }
            args.Add(option.Name);
            args.AddRange(result.Tokens.Select(t => t.Value));
        }
        return args;
    }

    /// <summary>
    /// A yes/no option written one way everywhere: <c>--name</c> alone or <c>--name on|off</c> (true/false too;
    /// <c>auto</c> where <paramref name="auto"/> says so, meaning "on when the hardware is there").
    /// </summary>
    public static Option<Switch> Toggle(string name, string description, bool defaultValue, bool auto = false)
    {
        var words = auto ? "on|auto|off" : "on|off";
        return new Option<Switch>(name)
        {
            Description = $"{words}: {description} (default {(defaultValue ? (auto ? "auto" : "on") : "off")})",
            Arity = ArgumentArity.ZeroOrOne,
            // System.CommandLine asks the default factory, not the parser, for an option given without a value: an option
            // that was given ("--loop" alone) is on; one that was not keeps its default.
            DefaultValueFactory = result => new Switch(result.Parent is System.CommandLine.Parsing.OptionResult { Implicit: false } || defaultValue),
            CustomParser = result =>
            {
                if (result.Tokens.Count == 0)
                {
                    return new Switch(true);
                }
                var text = result.Tokens[0].Value.ToLowerInvariant();
                switch (text)
                {
                    case "on" or "true" or "yes":
                        return new Switch(true);
                    case "off" or "false" or "no":
                        return new Switch(false);
                    case "auto" when auto:
                        return new Switch(true);
                    default:
                        result.AddError($"{name}: expected {words.Replace("|", ", ", StringComparison.Ordinal)}, got '{result.Tokens[0].Value}'");
                        return new Switch(false);
                }
            },
        };
    }

    /// <summary>
    /// The option's value, or its default when the command does not carry it at all (a pipeline-owned option read
    /// while <c>aqs run</c> checks the others).
    /// </summary>
    protected static T Get<T>(ParseResult parse, Option<T> option) =>
        parse.GetResult(option) is null && option.HasDefaultValue ? (T)option.GetDefaultValue()! : parse.GetValue(option)!;

    /// <summary>A usage error naming the flag and the value.</summary>
    public static UserFacingException Bad(Option option, string problem) =>
        new($"{option.Name}: {problem}", CommandLineHost.ExitUsage);
}

/// <summary>
/// A yes/no flag's value. Its own type rather than bool: System.CommandLine only lets a bool option take a following
/// "true"/"false", so "--vmaf off" would leave "off" unparsed.
/// </summary>
public readonly record struct Switch(bool On)
{
    public static implicit operator bool(Switch value) => value.On;
}
