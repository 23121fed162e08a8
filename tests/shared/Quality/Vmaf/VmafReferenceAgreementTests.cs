using System.Text.Json;
using Aqs.Shared.Frames;
using Aqs.Shared.Quality.Vmaf;

namespace Aqs.Shared.Tests.Quality.Vmaf;

/// <summary>
/// Our VMAF against what libvmaf's vmaf tool gave on every pair of the shared reference set: every feature we
/// compute and every score, per frame, and the pooled mean, to the 6 decimals it printed.
/// </summary>
public class VmafReferenceAgreementTests
{
    private static IEnumerable<string> PairIds() => ReferencePairs.Ids();

    [TestCaseSource(nameof(PairIds))]
    public void Vmaf_agrees_with_libvmaf_on_reference_pair(string id)
    {
        var dir = ReferencePairs.Directory;
        if (dir is null)
        {
            Assert.Ignore(ReferencePairs.Missing);
        }
        if (!VmafModel.TryLoad(null, out var model, out var reason))
        {
            Assert.Ignore(reason);
        }
        var pair = ReferencePairs.Pair(id);
        Assert.That(PixelFormats.TryParseFfmpegName(pair.GetProperty("pix_fmt").GetString()!, out var format), Is.True, $"{id}: pixel format");
        var layout = new FrameLayout(pair.GetProperty("width").GetInt32(), pair.GetProperty("height").GetInt32(), format);
        var refFile = pair.GetProperty("reference").GetProperty("file");
        if (refFile.ValueKind != JsonValueKind.String)
        {
            Assert.Ignore($"{id}: reference clip not stored; regenerate it from its lavfi command");
        }
        var pixFmt = format.FfmpegName();
        var refRaw = ReferencePairs.Decode(Path.Combine(dir!, refFile.GetString()!), pixFmt);
        var disRaw = ReferencePairs.Decode(Path.Combine(dir!, pair.GetProperty("distorted").GetProperty("file").GetString()!), pixFmt);
        Assert.That(refRaw.Length, Is.EqualTo(pair.GetProperty("frames").GetInt32() * layout.FrameSize), $"{id}: decoded frames");

        var expected = pair.GetProperty("vmaf");
        var perFrame = expected.GetProperty("per_frame");
        var ours = LibvmafComparison.Score(model!, layout, refRaw, disRaw);
        LibvmafComparison.AssertAgrees(id, ours, (feature, i) => perFrame.GetProperty(feature)[i].GetDouble(), expected.GetProperty("mean").GetDouble());
    }
}
