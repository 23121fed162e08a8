using Aqs.Orchestration.Control;
using Aqs.Shared.Cli;
using Aqs.Shared.Contracts;

namespace Aqs.Orchestration.Tests.Control;

public class ParamsUpdateTests
{
    [Test]
    public void Every_run_time_parameter_lands_in_its_field_of_one_update_command()
    {
        var command = ParamsUpdate.Build(new Dictionary<string, string>
        {
            ["mode"] = "Sports",
            ["vmaf-target"] = "93",
            ["bitrate-cap"] = "2500",
            ["temporal-min"] = "30",
            ["temporal-max"] = "60",
            ["spatial-scale"] = "0.75",
            ["spatial-floor"] = "720p",
            ["bitdepth"] = "10",
            ["max-latency"] = "66ms",
        });

        Assert.Multiple(() =>
        {
            Assert.That(command.Kind, Is.EqualTo(CommandKind.UpdateParams));
            Assert.That(command.Target, Is.EqualTo(KernelRole.Encode));
            Assert.That(command.Mode, Is.EqualTo("sports"));
            Assert.That(command.VmafTarget, Is.EqualTo(93));
            Assert.That(command.BitrateCapKbps, Is.EqualTo(2500));
            Assert.That(command.MinFps, Is.EqualTo(30));
            Assert.That(command.MaxFps, Is.EqualTo(60));
            Assert.That(command.SpatialScale, Is.EqualTo(0.75));
            Assert.That(command.SpatialFloor, Is.EqualTo(720));
            Assert.That(command.BitDepth, Is.EqualTo(10));
            Assert.That(command.MaxLatencyMs, Is.EqualTo(66));
        });
    }

    [Test]
    public void An_update_leaves_what_it_does_not_name_as_it_is()
    {
        var command = ParamsUpdate.Build([KeyValuePair.Create("vmaf-target", "90")]);

        Assert.That(new object?[] { command.Mode, command.BitrateCapKbps, command.MinFps, command.SpatialFloor }, Is.All.Null);
    }

    [TestCase("vmaf-target", "150", "vmaf-target")]
    [TestCase("mode", "cinema", "mode")]
    [TestCase("bitdepth", "9", "bitdepth")]
    [TestCase("colour", "red", "not a run-time parameter")]
    public void A_bad_value_is_refused_in_one_line_naming_it(string name, string value, string expected)
    {
        var error = Assert.Throws<UserFacingException>(() => ParamsUpdate.Build([KeyValuePair.Create(name, value)]))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.Contain(expected));
            Assert.That(error.Message, Does.Not.Contain("\n"));
            Assert.That(error.ExitCode, Is.EqualTo(CommandLineHost.ExitUsage));
        });
    }
}
