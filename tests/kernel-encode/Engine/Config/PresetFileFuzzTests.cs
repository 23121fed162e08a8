using Aqs.Engine.Config;
using Aqs.Tests.Infrastructure;
using CsCheck;

namespace Aqs.Kernel.Encode.Tests.Engine.Config;

/// <summary>The TOML preset file as users and accidents write it: a config, or one line naming the file.</summary>
public class PresetFileFuzzTests
{
    private static readonly string[] Keys = AqsSettings.All.Select(s => s.Name).Concat(["mode", "Mode", "", "a.b", "[x]", "\"quoted\""]).ToArray();

    private static readonly Gen<string> GenValue = Gen.OneOf(
        Gen.Int.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Double.Select(d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
        Gen.OneOfConst("true", "false", "nan", "inf", "-inf", "1e999", "0x7fffffff", "1979-05-27T07:32:00Z", "07:32:00", "[1, 2]", "{ a = 1 }", "[]",
            "\"sports\"", "\"quality\"", "\"720p\"", "\"15w\"", "\"66ms\"", "\"on\"", "\"\"", "\"\\u0000\"", "'''multi\nline'''", "\"unterminated"),
        Gen.String.Select(s => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\""),
        Gen.String);

    private static readonly Gen<string> GenLine = Gen.OneOf(
        Gen.Select(Gen.OneOfConst(Keys), GenValue).Select((k, v) => $"{k} = {v}"),
        Gen.OneOfConst("[table]", "[[array]]", "# comment", "", "=", "key =", "= 1", "\u0000", "\ufeffmode = \"sports\""),
        Gen.String);

    [Test]
    public void Any_preset_text_is_a_config_or_one_line_naming_the_file()
    {
        FixedSeedFuzz.Run("toml preset", GenLine.Array[0, 12].Select(lines => string.Join('\n', lines)), seed: 0x7041, iterations: 4000, text =>
        {
            try
            {
                PresetFile.Parse(text, "p.toml");
                return false;
            }
            catch (AqsConfigException ex)
            {
                FixedSeedFuzz.AssertOneLine(ex.Message);
                Assert.That(ex.Message, Does.StartWith("p.toml: "));
                return true;
            }
        });
    }
}
