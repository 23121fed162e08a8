using Aqs.Shared.Frames;
using Aqs.Shared.Quality.Vmaf;
using Aqs.Shared.Tests.Quality.Vmaf;

namespace Aqs.Kernel.Display.Tests;

public sealed class VmafSamplerTests
{
    private static readonly FrameLayout Layout = new(96, 64, PixelFormat.Yuv420p);

    [Test]
    public void Sampler_scores_a_run_exactly_as_VmafMetric_scores_the_same_frames()
    {
        var model = SyntheticModel.Load(SyntheticModel.Json());
        var frames = Enumerable.Range(0, 3).Select(i => (Ref: Frame(i, noise: 0), Dis: Frame(i, noise: 9))).ToArray();

        using var sampler = new VmafSampler(model, Layout);
        foreach (var (i, pair) in frames.Index())
        {
            Assert.That(sampler.Offer(100 + i, View(pair.Ref), View(pair.Dis)), Is.True, "queue has room for three frames");
        }
        sampler.Drain();

        using var direct = new VmafMetric(model, Layout.Width, Layout.Height, 8);
        foreach (var pair in frames)
        {
            direct.ComputeFeatures(pair.Ref, Layout.Width, pair.Dis, Layout.Width);
        }
        direct.Flush();
        double last = double.NaN;
        while (direct.TryTakeScore(out _, out var score))
        {
            last = score;
        }

        Assert.That(sampler.Scored, Is.EqualTo(3));
        Assert.That(sampler.Mean, Is.EqualTo(direct.PooledMean).Within(1e-12));
        Assert.That(sampler.TryGetLatest(out var frameId, out var latest), Is.True);
        Assert.That(frameId, Is.EqualTo(102));
        Assert.That(latest, Is.EqualTo(last).Within(1e-12));
        Assert.That(sampler.Failure, Is.Null);
    }

    [Test]
    public void Sampler_accounts_for_every_offered_frame_when_offered_faster_than_it_scores()
    {
        var model = SyntheticModel.Load(SyntheticModel.Json());
        var reference = Frame(1, noise: 0);
        var distorted = Frame(1, noise: 20);
        const int offered = 200;
        using var sampler = new VmafSampler(model, Layout);
        var accepted = 0;
        for (var i = 0; i < offered; i++)
        {
            accepted += sampler.Offer(i, View(reference), View(distorted)) ? 1 : 0;
        }
        sampler.Drain();

        Assert.That(sampler.Scored, Is.EqualTo(accepted));
        Assert.That(sampler.Skipped, Is.EqualTo(offered - accepted));
        Assert.That(sampler.Scored, Is.GreaterThan(0));
        Assert.That(double.IsFinite(sampler.Mean), Is.True);
    }

    [Test]
    public void Sampler_held_to_a_small_core_share_skips_more_frames_than_one_held_to_a_whole_core()
    {
        var model = SyntheticModel.Load(SyntheticModel.Json());
        var reference = Frame(1, noise: 0);
        var distorted = Frame(1, noise: 20);
        long Skipped(double share)
        {
            using var sampler = new VmafSampler(model, Layout, share);
            for (var i = 0; i < 120; i++)
            {
                sampler.Offer(i, View(reference), View(distorted));
                // Frames arrive at a steady pace; the worker could keep up with every one of them.
                Thread.Sleep(2);
            }
            sampler.Drain();
            Assert.That(sampler.Scored + sampler.Skipped, Is.EqualTo(120));
            return sampler.Skipped;
        }

        var whole = Skipped(1.0);
        var tiny = Skipped(0.01);

        Assert.That(tiny, Is.GreaterThan(whole));
        Assert.That(tiny, Is.GreaterThan(60), "at 1 % of a core most frames go unscored");
    }

    [Test]
    public void Sampler_refuses_a_core_share_outside_0_to_1()
    {
        var model = SyntheticModel.Load(SyntheticModel.Json());
        Assert.Throws<ArgumentOutOfRangeException>(() => new VmafSampler(model, Layout, 0).Dispose());
        Assert.Throws<ArgumentOutOfRangeException>(() => new VmafSampler(model, Layout, 1.5).Dispose());
    }

    [Test]
    public void Sampler_rejects_frames_of_another_layout_with_a_clear_reason()
    {
        var model = SyntheticModel.Load(SyntheticModel.Json());
        using var sampler = new VmafSampler(model, Layout);
        var other = new FrameLayout(128, 64, PixelFormat.Yuv420p);
        var buffer = new byte[other.FrameSize];
        var ex = Assert.Throws<ArgumentException>(() =>
            sampler.Offer(0, PlanarFrame.FromPacked(other, buffer), PlanarFrame.FromPacked(other, buffer)));
        Assert.That(ex!.Message, Does.Contain("96x64"));
    }

    private static PlanarFrame View(byte[] packed) => PlanarFrame.FromPacked(Layout, packed);

    /// <summary>A moving gradient with texture; <paramref name="noise"/> adds a deterministic distortion.</summary>
    private static byte[] Frame(int t, int noise)
    {
        var buffer = new byte[Layout.FrameSize];
        var random = new Random(t * 31 + noise);
        for (var y = 0; y < Layout.Height; y++)
        {
            for (var x = 0; x < Layout.Width; x++)
            {
                var value = (x * 3 + y * 2 + t * 5) % 200 + ((x / 4 + y / 4) % 2) * 40;
                value += noise == 0 ? 0 : random.Next(-noise, noise + 1);
                buffer[y * Layout.Width + x] = (byte)Math.Clamp(value, 0, 255);
            }
        }
        buffer.AsSpan(Layout.PlaneSize(0)).Fill(128);
        return buffer;
    }
}
