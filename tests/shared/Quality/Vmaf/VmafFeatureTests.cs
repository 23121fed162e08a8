using Aqs.Shared.Quality.Vmaf;

namespace Aqs.Shared.Tests.Quality.Vmaf;

/// <summary>Feature-level checks that need no shared data: limits, monotonicity, bit depths, float references.</summary>
public class VmafFeatureTests
{
    private const int W = 160, H = 96;

    private static VmafModel Model() => SyntheticModel.Load(SyntheticModel.Json());

    private static VmafFeatures Features(byte[] reference, byte[] distorted, int bitDepth = 8)
    {
        using var metric = new VmafMetric(Model(), W, H, bitDepth);
        var stride = bitDepth > 8 ? 2 * W : W;
        return metric.ComputeFeatures(reference, stride, distorted, stride);
    }

    [Test]
    public void Identical_frames_give_vif_and_adm_of_one()
    {
        var frame = SyntheticFrames.Scene(W, H, 3);
        var f = Features(frame, frame);
        Assert.Multiple(() =>
        {
            Assert.That(f.Adm2, Is.EqualTo(1.0).Within(1e-4)); // fixed-point rounding leaves ~2e-6
            foreach (var v in new[] { f.Vif0, f.Vif1, f.Vif2, f.Vif3 })
            {
                Assert.That(v, Is.EqualTo(1.0).Within(1e-3));
            }
        });
    }

    [Test]
    public void Features_fall_as_noise_grows()
    {
        var frame = SyntheticFrames.Scene(W, H, 0);
        var features = new[] { 2, 6, 16, 40 }.Select(a => Features(frame, SyntheticFrames.Noisy(frame, a, a))).ToArray();
        for (var i = 1; i < features.Length; i++)
        {
            Assert.Multiple(() =>
            {
                Assert.That(features[i].Vif0, Is.LessThan(features[i - 1].Vif0));
                Assert.That(features[i].Vif1, Is.LessThan(features[i - 1].Vif1));
                Assert.That(features[i].Adm2, Is.LessThan(features[i - 1].Adm2));
            });
        }
    }

    [Test]
    public void Blur_lowers_detail_measure_and_fine_scale_vif()
    {
        var frame = SyntheticFrames.Scene(W, H, 0);
        var f = Features(frame, SyntheticFrames.Blurred(frame, W, H));
        Assert.Multiple(() =>
        {
            Assert.That(f.Adm2, Is.LessThan(0.99));
            Assert.That(f.Vif0, Is.LessThan(f.Vif3));
        });
    }

    [Test]
    public void Ten_bit_input_of_eight_bit_content_gives_nearly_the_same_features()
    {
        var frame = SyntheticFrames.Scene(W, H, 1);
        var dist = SyntheticFrames.Noisy(frame, 10, 5);
        var eight = Features(frame, dist);
        var ten = Features(SyntheticFrames.To10Bit(frame), SyntheticFrames.To10Bit(dist), 10);
        Assert.Multiple(() =>
        {
            Assert.That(ten.Adm2, Is.EqualTo(eight.Adm2).Within(2e-3));
            Assert.That(ten.Vif0, Is.EqualTo(eight.Vif0).Within(2e-3));
            Assert.That(ten.Vif1, Is.EqualTo(eight.Vif1).Within(2e-3));
            Assert.That(ten.Vif2, Is.EqualTo(eight.Vif2).Within(2e-3));
            Assert.That(ten.Vif3, Is.EqualTo(eight.Vif3).Within(2e-3));
        });
    }

    [Test]
    public void Ten_bit_motion_of_eight_bit_content_matches_eight_bit_motion()
    {
        var a = SyntheticFrames.Scene(W, H, 0);
        var b = SyntheticFrames.Scene(W, H, 3);
        using var m8 = new VmafMetric(Model(), W, H, 8);
        using var m10 = new VmafMetric(Model(), W, H, 10);
        m8.ComputeFeatures(a, W, a, W);
        m10.ComputeFeatures(SyntheticFrames.To10Bit(a), 2 * W, SyntheticFrames.To10Bit(a), 2 * W);
        var f8 = m8.ComputeFeatures(b, W, b, W);
        var f10 = m10.ComputeFeatures(SyntheticFrames.To10Bit(b), 2 * W, SyntheticFrames.To10Bit(b), 2 * W);
        Assert.That(f10.Motion2, Is.EqualTo(f8.Motion2).Within(1e-2));
    }

    [Test]
    public void Motion_matches_a_straightforward_float_blur_difference()
    {
        var a = SyntheticFrames.Scene(W, H, 0);
        var b = SyntheticFrames.Scene(W, H, 2, seed: 7);
        using var metric = new VmafMetric(Model(), W, H, 8);
        metric.ComputeFeatures(a, W, a, W);
        var motion = metric.ComputeFeatures(b, W, b, W).Motion2; // provisional motion2 = this frame's motion
        double[] taps = [3571 / 65536.0, 16004 / 65536.0, 26386 / 65536.0, 16004 / 65536.0, 3571 / 65536.0];
        var ba = FloatReference.Blur(a, W, H, taps);
        var bb = FloatReference.Blur(b, W, H, taps);
        var expected = ba.Zip(bb, (x, y) => Math.Abs(x - y)).Average();
        Assert.That(motion, Is.EqualTo(expected).Within(expected * 0.01 + 0.005));
    }

    [Test]
    public void Vif_scale0_matches_a_straightforward_float_vif()
    {
        var frame = SyntheticFrames.Scene(W, H, 0);
        foreach (var amplitude in new[] { 3, 12, 30 })
        {
            var dist = SyntheticFrames.Noisy(frame, amplitude, amplitude);
            var f = Features(frame, dist);
            Assert.That(f.Vif0, Is.EqualTo(FloatReference.VifScale0(frame, dist, W, H)).Within(2e-3), $"noise {amplitude}");
        }
    }

    [Test]
    public void Real_model_scores_fall_as_noise_grows()
    {
        if (!VmafModel.TryLoad(null, out var model, out var reason))
        {
            Assert.Ignore(reason);
        }
        var frame = SyntheticFrames.Scene(W, H, 0);
        var scores = new List<double>();
        foreach (var amplitude in new[] { 0, 4, 12, 32 })
        {
            using var metric = new VmafMetric(model!, W, H, 8);
            metric.ComputeFeatures(frame, W, amplitude == 0 ? frame : SyntheticFrames.Noisy(frame, amplitude, 3), W);
            metric.Flush();
            Assert.That(metric.TryTakeScore(out _, out var score), Is.True);
            scores.Add(score);
        }
        Assert.Multiple(() =>
        {
            Assert.That(scores[0], Is.GreaterThan(95));
            Assert.That(scores, Is.Ordered.Descending);
            Assert.That(scores[3], Is.LessThan(scores[0] - 20));
        });
    }
}
