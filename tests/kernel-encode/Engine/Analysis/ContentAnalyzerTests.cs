using Aqs.Engine.Analysis;
using Aqs.Kernel.Encode.Tests.Infrastructure;

namespace Aqs.Kernel.Encode.Tests.Engine.Analysis;

public class ContentAnalyzerTests
{
    private static List<ContentMetrics> Run(double speed, int frames, int? cutAt = null, bool advanced = true)
    {
        using var analyzer = new ContentAnalyzer(advanced);
        var texture = new MovingTexture(640, 360) { Speed = speed };
        var metrics = new List<ContentMetrics>();
        for (var i = 0; i < frames; i++)
        {
            if (i == cutAt)
            {
                texture.Cut();
            }
            metrics.Add(analyzer.Analyze(texture.Next()));
        }
        return metrics;
    }

    [Test]
    public void Motion_grows_with_the_pan_speed_and_a_still_picture_has_none()
    {
        var still = Run(0, 10).Skip(1).Average(m => m.Motion);
        var slow = Run(1, 10).Skip(1).Average(m => m.Motion);
        var fast = Run(8, 10).Skip(1).Average(m => m.Motion);
        TestContext.Out.WriteLine($"motion still {still:F2}, slow {slow:F2}, fast {fast:F2}");
        Assert.Multiple(() =>
        {
            Assert.That(still, Is.Zero);
            Assert.That(slow, Is.GreaterThan(0.5));
            Assert.That(fast, Is.GreaterThan(3 * slow));
        });
    }

    [Test]
    public void A_cut_is_a_scene_change_and_steady_motion_is_not()
    {
        var metrics = Run(2, 40, cutAt: 30);
        var cuts = metrics.Select((m, i) => (m, i)).Where(x => x.m.SceneChange).Select(x => x.i).ToList();
        Assert.That(cuts, Is.EqualTo(new[] { 30 }));
    }

    [Test]
    public void Detail_and_noise_are_measured_on_the_grain_of_the_texture()
    {
        var m = Run(1, 3)[^1];
        TestContext.Out.WriteLine(m.ToString());
        Assert.Multiple(() =>
        {
            // The texture's grain is uniform in ±24: a standard deviation of about 14 within a block.
            Assert.That(m.SpatialComplexity, Is.InRange(12.0, 20.0));
            Assert.That(m.NoiseSigma, Is.InRange(10.0, 17.0));
            Assert.That(m.GradientEnergy, Is.GreaterThan(0));
        });
    }

    [Test]
    public void Without_advanced_analysis_only_the_cheap_measures_are_taken()
    {
        var m = Run(3, 5, advanced: false)[^1];
        Assert.Multiple(() =>
        {
            Assert.That(m.Advanced, Is.False);
            Assert.That((m.GradientEnergy, m.NoiseSigma), Is.EqualTo((0.0, 0.0)));
            Assert.That(m.Motion, Is.GreaterThan(0));
            Assert.That(m.SpatialComplexity, Is.GreaterThan(0));
        });
    }

    [Test]
    public void Ten_and_twelve_bit_pictures_measure_on_the_eight_bit_scale()
    {
        using var eight = new ContentAnalyzer(true);
        using var ten = new ContentAnalyzer(true);
        var texture = new MovingTexture(128, 64);
        var luma = texture.Next();
        var deep = new byte[128 * 64 * 2];
        for (var i = 0; i < 128 * 64; i++)
        {
            BitConverter.TryWriteBytes(deep.AsSpan(2 * i), (ushort)(texture.Pixels[i] << 2));
        }
        var a = eight.Analyze(luma);
        var b = ten.Analyze(new LumaPlane(deep, 128, 64, 256, 10));
        Assert.That(b.SpatialComplexity, Is.EqualTo(a.SpatialComplexity).Within(1e-9));
    }
}
