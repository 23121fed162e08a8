using Aqs.Shared.Quality.Vmaf;

namespace Aqs.Shared.Tests.Quality.Vmaf;

/// <summary>The vectorised paths must give bit-identical features to the scalar ones, at odd sizes and both bit depths.</summary>
public class VmafSimdTests
{
    [TestCase(96, 64, 8)]
    [TestCase(101, 57, 8)]
    [TestCase(133, 75, 10)]
    [TestCase(150, 49, 12)]
    public void Simd_and_scalar_paths_give_identical_features(int w, int h, int bitDepth)
    {
        var model = SyntheticModel.Load(SyntheticModel.Json());
        using var simd = new VmafMetric(model, w, h, bitDepth, simd: true);
        using var scalar = new VmafMetric(model, w, h, bitDepth, simd: false);
        var shift = bitDepth - 8;
        for (var t = 0; t < 3; t++)
        {
            var frame = SyntheticFrames.Scene(w, h, 2 * t, seed: t + 1);
            var dist = SyntheticFrames.Noisy(frame, 5 + 10 * t, t);
            var (r, d, stride) = bitDepth == 8 ? (frame, dist, w) : (Widen(frame, shift, t), Widen(dist, shift, t + 7), 2 * w);
            Assert.That(simd.ComputeFeatures(r, stride, d, stride), Is.EqualTo(scalar.ComputeFeatures(r, stride, d, stride)), $"frame {t}");
        }
    }

    // High-bit-depth words with content in the low bits too (not just a shifted 8-bit picture).
    private static byte[] Widen(byte[] plane, int shift, int seed)
    {
        var rng = new Random(seed);
        var result = new byte[plane.Length * 2];
        for (var i = 0; i < plane.Length; i++)
        {
            var v = (plane[i] << shift) | rng.Next(1 << shift);
            result[2 * i] = (byte)v;
            result[2 * i + 1] = (byte)(v >> 8);
        }
        return result;
    }
}
