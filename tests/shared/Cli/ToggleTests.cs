using System.CommandLine;
using Aqs.Shared.Cli;

namespace Aqs.Shared.Tests.Cli;

public class ToggleTests
{
    private static bool Parse(bool defaultValue, params string[] args)
    {
        var option = KernelFlags.Toggle("--loop", "test", defaultValue);
        var other = new Option<string?>("--input");
        var root = new RootCommand { option, other };
        var parse = root.Parse(args);
        Assert.That(parse.Errors, Is.Empty);
        return parse.GetValue(option);
    }

    [TestCase(new[] { "--loop" }, true)]
    [TestCase(new[] { "--loop", "--input", "x" }, true)]
    [TestCase(new[] { "--input", "x", "--loop" }, true)]
    [TestCase(new[] { "--loop", "on" }, true)]
    [TestCase(new[] { "--loop", "off" }, false)]
    [TestCase(new[] { "--input", "x" }, false)]
    public void A_flag_alone_means_on_and_on_or_off_say_so(string[] args, bool expected) =>
        Assert.That(Parse(false, args), Is.EqualTo(expected));

    [Test]
    public void A_flag_that_defaults_on_is_turned_off_only_by_off() =>
        Assert.Multiple(() =>
        {
            Assert.That(Parse(true), Is.True);
            Assert.That(Parse(true, "--loop"), Is.True);
            Assert.That(Parse(true, "--loop", "off"), Is.False);
        });
}
