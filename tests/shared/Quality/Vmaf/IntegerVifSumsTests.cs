using Aqs.Shared.Quality.Vmaf;

namespace Aqs.Shared.Tests.Quality.Vmaf;

/// <summary>
/// The vector VIF paths must give the scalar code's integer accumulators and subsampled images exactly, not only
/// the same float score (a float ratio can hide a small difference in the sums).
/// </summary>
public class IntegerVifSumsTests
{
    // Widths cover the 32- and 16-pixel steps and the scalar remainder at scale 0 and scale 1.
    [TestCase(128, 48, 8)]
    [TestCase(152, 40, 8)]
    [TestCase(117, 37, 8)]
    [TestCase(144, 42, 10)]
    public void Vector_paths_give_the_scalar_sums_and_half_images(int w, int h, int bitDepth)
    {
        var max = (1 << bitDepth) - 1;
        var rng = new Random(w + 7 * h);
        for (var t = 0; t < 4; t++)
        {
            var r = new ushort[w * h];
            var d = new ushort[w * h];
            for (var i = 0; i < w * h; i++)
            {
                int x = i % w, y = i / w;
                int rv = t switch
                {
                    0 => rng.Next(2) * max,                                  // extremes: largest moments
                    1 => ((x / 3 + y / 4) & 1) * max,                        // hard edges
                    2 => (int)(max * (0.5 + 0.5 * Math.Sin(x * 0.11 + y * 0.07))), // smooth texture
                    _ => rng.Next(max + 1),
                };
                r[i] = (ushort)rv;
                d[i] = (ushort)Math.Clamp(t == 1 ? max - rv : rv + rng.Next(-max / 6, max / 6 + 1), 0, max);
            }
            var scalar = Run(new IntegerVif(w, h, bitDepth, simd: false), r, d, w, h);
            var avx2 = Run(new IntegerVif(w, h, bitDepth, simd: true, wide: false), r, d, w, h);
            var wide = Run(new IntegerVif(w, h, bitDepth, simd: true, wide: true), r, d, w, h);
            Assert.Multiple(() =>
            {
                Assert.That(avx2.Sums, Is.EqualTo(scalar.Sums), $"AVX2 sums, case {t}");
                Assert.That(avx2.Half, Is.EqualTo(scalar.Half), $"AVX2 half image, case {t}");
                Assert.That(wide.Sums, Is.EqualTo(scalar.Sums), $"AVX-512 sums, case {t}");
                Assert.That(wide.Half, Is.EqualTo(scalar.Half), $"AVX-512 half image, case {t}");
            });
        }
    }

    /// <summary>Scale-0 and scale-1 accumulators as numbers, and the scale-1 images (reference then distorted).</summary>
    private static (long[] Sums, ushort[] Half) Run(IntegerVif vif, ushort[] r, ushort[] d, int w, int h)
    {
        var s0 = vif.StatisticRows(r, d, w, h, 0, 0, h);
        vif.SubsampleRows(r, d, w, h, 0, 0, h / 2, vif.HalfReference, vif.HalfDistorted);
        var s1 = vif.StatisticRows(vif.HalfReference, vif.HalfDistorted, w / 2, h / 2, 1, 0, h / 2);
        return ([s0.NumLog, s0.DenLog, s0.NumNonLog, s0.DenNonLog, s1.NumLog, s1.DenLog, s1.NumNonLog, s1.DenNonLog],
            [.. vif.HalfReference, .. vif.HalfDistorted]);
    }
}
