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

    // Where the CPU has AVX-512 the metric takes the 512-bit VIF loops; the AVX2-only loops must stay exact too.
    [TestCase(96, 64, 8)]
    [TestCase(136, 70, 8)]
    [TestCase(117, 61, 10)]
    [TestCase(200, 80, 12)]
    public void Vif_avx2_and_avx512_paths_match_the_scalar_scores(int w, int h, int bitDepth)
    {
        var scalar = new IntegerVif(w, h, bitDepth, simd: false);
        var avx2 = new IntegerVif(w, h, bitDepth, simd: true, wide: false);
        var wide = new IntegerVif(w, h, bitDepth, simd: true, wide: true);
        var rng = new Random(w * h + bitDepth);
        var max = (1 << bitDepth) - 1;
        for (var t = 0; t < 3; t++)
        {
            var scene = SyntheticFrames.Scene(w, h, t, seed: t + 3);
            var r = new ushort[w * h];
            var d = new ushort[w * h];
            for (var i = 0; i < w * h; i++)
            {
                r[i] = t == 2 ? (ushort)(rng.Next(2) * max) : (ushort)Math.Min(max, (scene[i] << (bitDepth - 8)) | rng.Next(1 << (bitDepth - 8)));
                d[i] = (ushort)Math.Clamp(r[i] + rng.Next(-max / 10, max / 10 + 1), 0, max);
            }
            var expected = new double[4];
            var got2 = new double[4];
            var got512 = new double[4];
            scalar.Compute(r, d, expected);
            avx2.Compute(r, d, got2);
            wide.Compute(r, d, got512);
            Assert.Multiple(() =>
            {
                Assert.That(got2, Is.EqualTo(expected), $"AVX2, case {t}");
                Assert.That(got512, Is.EqualTo(expected), $"AVX-512 where available, case {t}");
            });
        }
    }

    // Full-range noise and hard black/white edges push every moment to its largest value, where 32-bit lanes
    // would overflow if the vector code dropped a bit anywhere.
    [TestCase(8)]
    [TestCase(10)]
    [TestCase(12)]
    public void Simd_and_scalar_paths_agree_on_extreme_content(int bitDepth)
    {
        const int w = 120, h = 72;
        var model = SyntheticModel.Load(SyntheticModel.Json());
        using var simd = new VmafMetric(model, w, h, bitDepth, simd: true);
        using var scalar = new VmafMetric(model, w, h, bitDepth, simd: false);
        var max = (1 << bitDepth) - 1;
        var rng = new Random(11);
        var bytes = bitDepth > 8 ? 2 : 1;
        for (var t = 0; t < 4; t++)
        {
            var r = new byte[w * h * bytes];
            var d = new byte[w * h * bytes];
            for (var i = 0; i < w * h; i++)
            {
                var x = i % w;
                var y = i / w;
                int rv = t switch
                {
                    0 => rng.Next(2) * max,                         // binary noise
                    1 => ((x / 3 + y / 5) & 1) * max,               // hard checkerboard
                    2 => rng.Next(max + 1),                         // uniform noise
                    _ => x < w / 2 ? max : 0,                       // one edge, flat halves
                };
                int dv = t switch
                {
                    0 => rng.Next(2) * max,
                    1 => max - rv,
                    2 => Math.Clamp(rv + rng.Next(-max / 8, max / 8 + 1), 0, max),
                    _ => rv,
                };
                Put(r, i, rv, bytes);
                Put(d, i, dv, bytes);
            }
            Assert.That(simd.ComputeFeatures(r, w * bytes, d, w * bytes), Is.EqualTo(scalar.ComputeFeatures(r, w * bytes, d, w * bytes)), $"case {t}");
        }
    }

    private static void Put(byte[] plane, int i, int v, int bytes)
    {
        if (bytes == 1)
        {
            plane[i] = (byte)v;
            return;
        }
        plane[2 * i] = (byte)v;
        plane[2 * i + 1] = (byte)(v >> 8);
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
