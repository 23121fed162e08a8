using Aqs.Kernel.Preprocess.Sources;
using Aqs.Tests.Infrastructure;
using CsCheck;

namespace Aqs.Kernel.Preprocess.Tests.Sources;

/// <summary>--size / --pix-fmt / --fps of raw YUV input, as typed wrong: a one-line SourceException or a valid layout.</summary>
public class RawGeometryFuzzTests
{
    private static readonly Gen<string?> GenText = Gen.OneOf<string?>(
        Gen.Const((string?)null),
        Gen.String[Gen.Char["0123456789xX/-+. e:"], 0, 14].Select(s => (string?)s),
        Gen.Select(Gen.Int[-5, 40000], Gen.Int[-5, 40000], Gen.OneOfConst("x", "X", "*", "xx", "")).Select((w, h, x) => (string?)$"{w}{x}{h}"),
        Gen.String.Select(s => (string?)s),
        Gen.OneOfConst<string?>("yuv420p", "yuv420p10le", "yuv444p12le", "nv12", "rgb24", "YUV420P", "", "1/0", "0/1", "60000/1001", "99999999999x1"));

    [Test]
    public void Raw_geometry_parses_to_a_bounded_layout_or_one_line_naming_the_file()
    {
        FixedSeedFuzz.Run("raw yuv geometry", Gen.Select(GenText, GenText, GenText), seed: 0x4A77, iterations: 5000, t =>
        {
            var (size, pixFmt, fps) = t;
            try
            {
                var layout = RawYuvSource.ParseLayout("in.yuv", size, pixFmt);
                Assert.That(layout.Width, Is.InRange(1, 16384));
                Assert.That(layout.Height, Is.InRange(1, 16384));
                var rateOk = FrameRate.TryParse(fps, out var rate);
                Assert.That(!rateOk || rate.Fps is > 0 and <= 1000, $"rate {fps}");
                return !rateOk;
            }
            catch (SourceException ex)
            {
                FixedSeedFuzz.AssertOneLine(ex.Message);
                Assert.That(ex.Message, Does.StartWith("in.yuv: "));
                return true;
            }
        });
    }
}
