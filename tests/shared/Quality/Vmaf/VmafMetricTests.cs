using Aqs.Shared.Quality.Vmaf;

namespace Aqs.Shared.Tests.Quality.Vmaf;

public class VmafMetricTests
{
    private const int W = 96, H = 64;

    private static VmafMetric NewMetric(int bitDepth = 8) =>
        new(SyntheticModel.Load(SyntheticModel.Json(clip: "[-1000.0, 1000.0]")), W, H, bitDepth);

    [Test]
    public void Score_becomes_final_one_frame_later_with_motion2_the_min_of_this_and_next_motion()
    {
        using var metric = NewMetric();
        var provisional = new List<VmafFeatures>();
        var final = new List<(int Index, VmafFeatures Features)>();
        for (var t = 0; t < 4; t++)
        {
            // Motion speeds up then stops: frame motions m1 < m2, m3 = 0.
            var shift = t switch { 0 => 0, 1 => 1, 2 => 4, _ => 4 };
            var frame = SyntheticFrames.Scene(W, H, shift);
            provisional.Add(metric.ComputeFeatures(frame, W, SyntheticFrames.Noisy(frame, 3, t), W));
            Assert.That(metric.TryTakeScore(out var idx, out _, out var f), Is.EqualTo(t > 0));
            if (t > 0)
            {
                final.Add((idx, f));
            }
        }
        Assert.That(metric.TryTakeScore(out _, out _), Is.False);
        metric.Flush();
        Assert.That(metric.TryTakeScore(out var last, out _, out var lastFeatures), Is.True);
        final.Add((last, lastFeatures));

        var m = provisional.Select(p => p.Motion2).ToArray(); // provisional motion2 = the frame's own motion
        Assert.Multiple(() =>
        {
            Assert.That(final.Select(f => f.Index), Is.EqualTo(new[] { 0, 1, 2, 3 }));
            Assert.That(m[0], Is.Zero);
            Assert.That(m[1], Is.GreaterThan(0));
            Assert.That(m[2], Is.GreaterThan(m[1]));
            Assert.That(m[3], Is.Zero);
            Assert.That(final[0].Features.Motion2, Is.Zero, "first frame has no motion2");
            Assert.That(final[1].Features.Motion2, Is.EqualTo(Math.Min(m[1], m[2])));
            Assert.That(final[2].Features.Motion2, Is.EqualTo(Math.Min(m[2], m[3])));
            Assert.That(final[3].Features.Motion2, Is.EqualTo(m[3]), "last frame keeps its own motion");
            Assert.That(metric.ScoredFrames, Is.EqualTo(4));
        });
    }

    [Test]
    public void Pooled_mean_is_the_mean_of_the_final_scores()
    {
        using var metric = NewMetric();
        var scores = new List<double>();
        for (var t = 0; t < 5; t++)
        {
            var frame = SyntheticFrames.Scene(W, H, t);
            metric.ComputeFeatures(frame, W, SyntheticFrames.Noisy(frame, 2 + t, t), W);
            while (metric.TryTakeScore(out _, out var s))
            {
                scores.Add(s);
            }
        }
        metric.Flush();
        while (metric.TryTakeScore(out _, out var s))
        {
            scores.Add(s);
        }
        Assert.That(scores, Has.Count.EqualTo(5));
        Assert.That(metric.PooledMean, Is.EqualTo(scores.Average()).Within(1e-9));
    }

    [Test]
    public void Scores_are_kept_when_the_caller_takes_them_late()
    {
        using var metric = NewMetric();
        var frame = SyntheticFrames.Scene(W, H, 0);
        for (var t = 0; t < 20; t++)
        {
            metric.ComputeFeatures(frame, W, frame, W);
        }
        metric.Flush();
        var indices = new List<int>();
        while (metric.TryTakeScore(out var i, out _))
        {
            indices.Add(i);
        }
        Assert.That(indices, Is.EqualTo(Enumerable.Range(0, 20)));
    }

    [Test]
    public void Padded_strides_give_the_same_features_as_packed_rows()
    {
        var frame = SyntheticFrames.Scene(W, H, 2);
        var dist = SyntheticFrames.Noisy(frame, 6, 9);
        const int stride = W + 13;
        byte[] Pad(byte[] p)
        {
            var r = new byte[stride * H];
            for (var y = 0; y < H; y++)
            {
                p.AsSpan(y * W, W).CopyTo(r.AsSpan(y * stride));
            }
            return r;
        }
        using var a = NewMetric();
        using var b = NewMetric();
        Assert.That(b.ComputeFeatures(Pad(frame), stride, Pad(dist), stride), Is.EqualTo(a.ComputeFeatures(frame, W, dist, W)));
    }

    [Test]
    public void Short_plane_or_stride_is_refused_in_one_line()
    {
        using var metric = NewMetric();
        var frame = new byte[W * H];
        Assert.Multiple(() =>
        {
            var e1 = Assert.Throws<ArgumentException>(() => metric.ComputeFeatures(frame.AsSpan(1), W, frame, W));
            Assert.That(e1!.Message, Does.Contain("reference luma plane"));
            var e2 = Assert.Throws<ArgumentException>(() => metric.ComputeFeatures(frame, W - 1, frame, W));
            Assert.That(e2!.Message, Does.Contain("stride"));
            Assert.Throws<ArgumentOutOfRangeException>(() => _ = new VmafMetric(SyntheticModel.Load(SyntheticModel.Json()), W, H, 9));
            Assert.Throws<ArgumentOutOfRangeException>(() => _ = new VmafMetric(SyntheticModel.Load(SyntheticModel.Json()), 16, 16, 8));
        });
    }

    [Test]
    public void Compute_after_flush_is_refused()
    {
        using var metric = NewMetric();
        var frame = SyntheticFrames.Scene(W, H, 0);
        metric.ComputeFeatures(frame, W, frame, W);
        metric.Flush();
        Assert.Throws<InvalidOperationException>(() => metric.ComputeFeatures(frame, W, frame, W));
    }
}
