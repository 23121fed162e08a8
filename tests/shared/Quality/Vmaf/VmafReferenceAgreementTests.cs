using System.Globalization;
using System.Text.Json;
using Aqs.Shared.Quality.Vmaf;

namespace Aqs.Shared.Tests.Quality.Vmaf;

/// <summary>Our VMAF against the scores libvmaf's vmaf tool gave on every pair of the reference set.</summary>
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
        var w = pair.GetProperty("width").GetInt32();
        var h = pair.GetProperty("height").GetInt32();
        var depth = pair.GetProperty("bit_depth").GetInt32();
        var pixFmt = pair.GetProperty("pix_fmt").GetString()!;
        var frames = pair.GetProperty("frames").GetInt32();
        var refFile = pair.GetProperty("reference").GetProperty("file");
        if (refFile.ValueKind != JsonValueKind.String)
        {
            Assert.Ignore($"{id}: reference clip not stored; regenerate it from its lavfi command");
        }
        var refRaw = ReferencePairs.Decode(Path.Combine(dir!, refFile.GetString()!), pixFmt);
        var disRaw = ReferencePairs.Decode(Path.Combine(dir!, pair.GetProperty("distorted").GetProperty("file").GetString()!), pixFmt);
        var bytesPerSample = depth > 8 ? 2 : 1;
        var lumaBytes = w * h * bytesPerSample;
        var frameBytes = refRaw.Length / frames;
        Assert.That(refRaw.Length, Is.EqualTo(frameBytes * frames), "decoded reference size");
        Assert.That(disRaw.Length, Is.EqualTo(refRaw.Length), "decoded distorted size");

        var expected = pair.GetProperty("vmaf");
        var perFrame = expected.GetProperty("per_frame");
        double[] Series(string name) => perFrame.GetProperty(name).EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var expVmaf = Series("vmaf");
        var expAdm = Series("integer_adm2");
        var expMotion = Series("integer_motion2");
        var expVif = new[] { Series("integer_vif_scale0"), Series("integer_vif_scale1"), Series("integer_vif_scale2"), Series("integer_vif_scale3") };

        using var metric = new VmafMetric(model!, w, h, depth);
        var scores = new double[frames];
        var features = new VmafFeatures[frames];
        for (var f = 0; f < frames; f++)
        {
            metric.ComputeFeatures(refRaw.AsSpan(f * frameBytes, lumaBytes), w * bytesPerSample,
                disRaw.AsSpan(f * frameBytes, lumaBytes), w * bytesPerSample);
            while (metric.TryTakeScore(out var index, out var score, out var feat))
            {
                scores[index] = score;
                features[index] = feat;
            }
        }
        metric.Flush();
        while (metric.TryTakeScore(out var index, out var score, out var feat))
        {
            scores[index] = score;
            features[index] = feat;
        }

        double maxFrame = 0, maxAdm = 0, maxMotion = 0, maxVif = 0;
        var worst = 0;
        for (var f = 0; f < frames; f++)
        {
            var dev = Math.Abs(scores[f] - expVmaf[f]);
            if (dev > maxFrame)
            {
                maxFrame = dev;
                worst = f;
            }
            maxAdm = Math.Max(maxAdm, Math.Abs(features[f].Adm2 - expAdm[f]));
            maxMotion = Math.Max(maxMotion, Math.Abs(features[f].Motion2 - expMotion[f]));
            maxVif = Math.Max(maxVif, new[] { features[f].Vif0, features[f].Vif1, features[f].Vif2, features[f].Vif3 }
                .Select((v, s) => Math.Abs(v - expVif[s][f])).Max());
        }
        var pooled = Math.Abs(metric.PooledMean - expected.GetProperty("mean").GetDouble());
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{id}: pooled {metric.PooledMean:F6} (libvmaf {expected.GetProperty("mean").GetDouble():F6}, dev {pooled:E2}); " +
            $"max frame dev {maxFrame:E2} at {worst}; max feature dev adm2 {maxAdm:E2} motion2 {maxMotion:E2} vif {maxVif:E2}"));
        Assert.Multiple(() =>
        {
            Assert.That(metric.ScoredFrames, Is.EqualTo(frames));
            Assert.That(pooled, Is.LessThanOrEqualTo(0.2), "pooled VMAF deviation");
            Assert.That(maxFrame, Is.LessThanOrEqualTo(0.5), $"per-frame VMAF deviation (frame {worst})");
        });
    }
}
