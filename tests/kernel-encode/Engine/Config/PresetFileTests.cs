using Aqs.Engine.Config;

namespace Aqs.Kernel.Encode.Tests.Engine.Config;

public class PresetFileTests
{
    [Test]
    public void A_preset_file_holds_any_setting_by_its_flag_name()
    {
        var config = PresetFile.Parse("""
            mode = "sports"
            temporal-min = 90
            spatial-floor = "720p"
            vmaf-target = 93.5
            disable-advanced-analysis = true
            power-limit = "15w"
            """, "sports.toml");
        Assert.That((config.Mode, config.TemporalMinFps, config.SpatialFloorLines, config.VmafTarget, config.DisableAdvancedAnalysis, config.PowerLimitW),
            Is.EqualTo((AqsMode.Sports, 90.0, 720, 93.5, true, 15.0)));
    }

    [Test]
    public void Flags_given_on_top_override_the_file()
    {
        var file = PresetFile.Parse("mode = \"sports\"\nvmaf-target = 90", "p.toml");
        var flags = AqsSettings.Find("vmaf-target")!.Apply(AqsConfig.Empty, "95");
        var merged = file.Overlay(flags);
        Assert.That((merged.Mode, merged.VmafTarget), Is.EqualTo((AqsMode.Sports, 95.0)));
    }

    [TestCase("mode = \"sports\"\ncolour = \"red\"", "p.toml: unknown key 'colour' (known: aqs, mode,")]
    [TestCase("mode = 3", "p.toml: --mode: '3' is not quality, latency, mobile, sports or conference")]
    [TestCase("mode = [1, 2]", "p.toml: 'mode' must be a string, number or true/false")]
    [TestCase("mode = ", "p.toml: not TOML:")]
    public void A_bad_file_is_one_line_naming_it(string text, string start)
    {
        var error = Assert.Throws<AqsConfigException>(() => PresetFile.Parse(text, "p.toml"));
        Assert.That(error!.Message, Does.StartWith(start));
        Assert.That(error.Message, Does.Not.Contain("\n"));
    }

    [Test]
    public void A_missing_file_is_one_line_naming_it()
    {
        var error = Assert.Throws<AqsConfigException>(() => PresetFile.Load("/nonexistent/aqs.toml"));
        Assert.That(error!.Message, Does.StartWith("--preset-file /nonexistent/aqs.toml:"));
    }
}
