using System.Globalization;
using System.Runtime.InteropServices;
using Aqs.Shared.Frames;
using Aqs.Shared.Quality.Vmaf;

namespace Aqs.Shared.Tests.Quality.Vmaf;

/// <summary>Our VMAF of a clip pair: per frame, every feature we compute under libvmaf's name, and the pooled mean.</summary>
internal sealed record OurVmaf(IReadOnlyList<IReadOnlyDictionary<string, double>> Frames, double PooledMean);

/// <summary>
/// Scores raw clip pairs with our VMAF and checks every feature and score against what libvmaf's <c>vmaf</c> tool
/// printed for them.
/// </summary>
internal static class LibvmafComparison
{
    /// <summary>
    /// The vmaf tool prints 6 decimals, so a value equal to libvmaf's is within 5e-7 of what it printed; 1e-9 more
    /// covers the last bits of double arithmetic done in another order. This is the precision the comparison can
    /// reach, and we reach it.
    /// </summary>
    public const double Tolerance = 5e-7 + 1e-9;

    /// <summary>Every feature we compute, by libvmaf's name (integer extractors, default options).</summary>
    public static readonly string[] Features =
    [
        "vmaf", "integer_adm2", "integer_adm_scale0", "integer_adm_scale1", "integer_adm_scale2", "integer_adm_scale3",
        "integer_motion2", "VMAF_integer_feature_motion_sad_score",
        "integer_vif_scale0", "integer_vif_scale1", "integer_vif_scale2", "integer_vif_scale3",
    ];

    /// <summary>Scores raw planar frames (each <see cref="FrameLayout.FrameSize"/> bytes, luma first).</summary>
    public static OurVmaf Score(VmafModel model, FrameLayout layout, byte[] refRaw, byte[] disRaw)
    {
        var (w, h, depth) = (layout.Width, layout.Height, layout.Format.BitDepth());
        var frames = refRaw.Length / layout.FrameSize;
        Assert.That(refRaw.Length, Is.EqualTo(frames * layout.FrameSize), "reference is whole frames");
        Assert.That(disRaw.Length, Is.EqualTo(refRaw.Length), "distorted has the reference's size");
        var lumaBytes = layout.PlaneSize(0);
        using var metric = new VmafMetric(model, w, h, depth);
        // libvmaf's per-level ADM and raw motion are not VMAF model inputs: computed beside it on the same samples.
        var adm = new IntegerAdm(w, h, depth, simd: true) { ScaleScores = new double[8] };
        var motion = new IntegerMotion(w, h, depth, simd: true);
        ushort[] previous = new ushort[w * h], current = new ushort[w * h], distorted = new ushort[w * h];
        var result = new Dictionary<string, double>[frames];
        void Take()
        {
            while (metric.TryTakeScore(out var index, out var score, out var f))
            {
                result[index]["vmaf"] = score;
                result[index]["integer_adm2"] = f.Adm2;
                result[index]["integer_motion2"] = f.Motion2;
                result[index]["integer_vif_scale0"] = f.Vif0;
                result[index]["integer_vif_scale1"] = f.Vif1;
                result[index]["integer_vif_scale2"] = f.Vif2;
                result[index]["integer_vif_scale3"] = f.Vif3;
            }
        }
        for (var i = 0; i < frames; i++)
        {
            var refLuma = refRaw.AsSpan(i * layout.FrameSize, lumaBytes);
            var disLuma = disRaw.AsSpan(i * layout.FrameSize, lumaBytes);
            metric.ComputeFeatures(refLuma, layout.Stride(0), disLuma, layout.Stride(0));
            Widen(refLuma, depth, current);
            Widen(disLuma, depth, distorted);
            adm.Compute(current, distorted);
            var s = adm.ScaleScores;
            result[i] = new Dictionary<string, double>
            {
                ["integer_adm_scale0"] = s[0] / s[1],
                ["integer_adm_scale1"] = s[2] / s[3],
                ["integer_adm_scale2"] = s[4] / s[5],
                ["integer_adm_scale3"] = s[6] / s[7],
                ["VMAF_integer_feature_motion_sad_score"] = i == 0 ? 0.0 : motion.Score(previous, current),
            };
            (previous, current) = (current, previous);
            Take();
        }
        metric.Flush();
        Take();
        return new OurVmaf(result, metric.PooledMean);
    }

    /// <summary>
    /// Asserts every feature of every frame and the pooled mean; <paramref name="expected"/> gives libvmaf's value of
    /// a feature at a frame. Prints the largest deviation of each feature.
    /// </summary>
    public static void AssertAgrees(string id, OurVmaf ours, Func<string, int, double> expected, double expectedMean)
    {
        var worst = Features.ToDictionary(f => f, _ => 0.0);
        Assert.Multiple(() =>
        {
            for (var i = 0; i < ours.Frames.Count; i++)
            {
                foreach (var feature in Features)
                {
                    var want = expected(feature, i);
                    var got = ours.Frames[i][feature];
                    worst[feature] = Math.Max(worst[feature], Math.Abs(got - want));
                    Assert.That(got, Is.EqualTo(want).Within(Tolerance), $"{id} frame {i} {feature}");
                }
            }
            Assert.That(ours.PooledMean, Is.EqualTo(expectedMean).Within(Tolerance), $"{id} pooled VMAF");
        });
        var deviations = string.Join(", ", worst.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value:E1}")));
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{id}: pooled {ours.PooledMean:F6} (libvmaf {expectedMean:F6}); largest deviation per feature: {deviations}"));
    }

    private static void Widen(ReadOnlySpan<byte> luma, int depth, ushort[] dst)
    {
        if (depth > 8)
        {
            MemoryMarshal.Cast<byte, ushort>(luma).CopyTo(dst);
            return;
        }
        for (var i = 0; i < dst.Length; i++)
        {
            dst[i] = luma[i];
        }
    }
}
