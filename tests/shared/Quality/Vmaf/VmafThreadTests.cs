using Aqs.Shared.Quality.Vmaf;

namespace Aqs.Shared.Tests.Quality.Vmaf;

/// <summary>Spreading a frame's features over threads must not change a single bit of any feature or score.</summary>
public class VmafThreadTests
{
    [TestCase(160, 130, 8, 2)]
    [TestCase(160, 130, 8, 3)]
    [TestCase(133, 99, 10, 4)]
    [TestCase(101, 57, 8, 5)]   // too few rows for several VIF bands: one band, ADM and motion still in parallel
    public void Threaded_and_single_thread_features_and_scores_are_identical(int w, int h, int bitDepth, int threads)
    {
        var model = SyntheticModel.Load(SyntheticModel.Json());
        using var one = new VmafMetric(model, w, h, bitDepth);
        using var many = new VmafMetric(model, w, h, bitDepth, threads);
        Assert.That(many.Threads, Is.EqualTo(threads));
        var stride = bitDepth > 8 ? 2 * w : w;
        for (var t = 0; t < 4; t++)
        {
            var frame = SyntheticFrames.Scene(w, h, 3 * t, seed: t + 5);
            var dist = SyntheticFrames.Noisy(frame, 4 + 6 * t, t);
            var (r, d) = bitDepth == 8 ? (frame, dist) : (SyntheticFrames.To10Bit(frame), SyntheticFrames.To10Bit(dist));
            Assert.That(many.ComputeFeatures(r, stride, d, stride), Is.EqualTo(one.ComputeFeatures(r, stride, d, stride)), $"frame {t}");
        }
        one.Flush();
        many.Flush();
        while (one.TryTakeScore(out var i1, out var s1, out var f1))
        {
            Assert.That(many.TryTakeScore(out var i2, out var s2, out var f2), Is.True);
            Assert.That((i2, s2, f2), Is.EqualTo((i1, s1, f1)));
        }
        Assert.That(many.PooledMean, Is.EqualTo(one.PooledMean));
    }

    [TestCase(1)]
    [TestCase(3)]
    public void Frames_after_the_first_few_allocate_nothing(int threads)
    {
        const int w = 160, h = 128;
        using var metric = new VmafMetric(SyntheticModel.Load(SyntheticModel.Json()), w, h, 8, threads);
        var frame = SyntheticFrames.Scene(w, h, 1);
        var dist = SyntheticFrames.Noisy(frame, 8, 2);
        void Frame()
        {
            metric.ComputeFeatures(frame, w, dist, w);
            while (metric.TryTakeScore(out _, out _))
            {
            }
        }
        for (var i = 0; i < 4; i++)
        {
            Frame(); // warm-up: first calls may compile or size buffers
        }
        // This thread's count: the whole process's would include the test runner's own threads. Workers run the
        // same job code the caller runs when threads is 1.
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 4; i++)
        {
            Frame();
        }
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    [Test]
    public void Zero_threads_means_one_per_processor()
    {
        using var metric = new VmafMetric(SyntheticModel.Load(SyntheticModel.Json()), 64, 64, 8, threads: 0);
        Assert.That(metric.Threads, Is.EqualTo(Environment.ProcessorCount));
    }

    [Test]
    public void Negative_thread_count_is_rejected_with_a_clear_message()
    {
        var model = SyntheticModel.Load(SyntheticModel.Json());
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new VmafMetric(model, 64, 64, 8, threads: -1));
        Assert.That(e!.Message, Does.Contain("threads"));
    }
}
