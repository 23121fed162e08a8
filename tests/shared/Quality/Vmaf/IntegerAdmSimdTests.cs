using Aqs.Shared.Quality.Vmaf;

namespace Aqs.Shared.Tests.Quality.Vmaf;

/// <summary>
/// The vectorised ADM is the scalar ADM's bit-exact twin: the same adm2, to the last bit, on random and extreme
/// frames of odd and even sizes at every bit depth. Sizes reach down to widths whose deepest levels run the scalar
/// code and up to ones with remainders after whole vectors at every level.
/// </summary>
public class IntegerAdmSimdTests
{
    private static readonly (int W, int H)[] Sizes = [(96, 64), (101, 57), (133, 75), (150, 49), (255, 131), (64, 33), (17, 16)];

    private static IEnumerable<TestCaseData> Cases()
    {
        foreach (var depth in new[] { 8, 10, 12 })
        {
            foreach (var (w, h) in Sizes)
            {
                yield return new TestCaseData(w, h, depth).SetName($"Vectorised_adm_equals_scalar_adm_{w}x{h}_{depth}bit");
            }
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Vectorised_adm_equals_scalar_adm(int w, int h, int bitDepth)
    {
        if (!System.Runtime.Intrinsics.X86.Avx2.IsSupported)
        {
            Assert.Ignore("no AVX2 on this CPU: only the scalar path exists");
        }
        // Run also with DOTNET_EnableAVX512=0 (.NET 10): the AVX2-only fallbacks then run (64-bit clamp and shift, angle test).
        TestContext.Out.WriteLine($"AVX-512F/VL: {System.Runtime.Intrinsics.X86.Avx512F.VL.IsSupported}, AVX-512DQ/VL: {System.Runtime.Intrinsics.X86.Avx512DQ.VL.IsSupported}");
        var simd = new IntegerAdm(w, h, bitDepth, simd: true);
        var scalar = new IntegerAdm(w, h, bitDepth, simd: false);
        var max = (1 << bitDepth) - 1;
        var rng = new Random(w * 7919 + h * 31 + bitDepth);
        foreach (var (name, reference, distorted) in Pairs(w, h, max, rng))
        {
            var expected = scalar.Compute(reference, distorted);
            var actual = simd.Compute(reference, distorted);
            Assert.That(BitConverter.DoubleToInt64Bits(actual), Is.EqualTo(BitConverter.DoubleToInt64Bits(expected)),
                $"{name}: vectorised {actual:R} vs scalar {expected:R}");
        }
    }

    private static IEnumerable<(string Name, ushort[] Ref, ushort[] Dis)> Pairs(int w, int h, int max, Random rng)
    {
        var scene = Scene(w, h, max, rng);
        yield return ("identical", scene, scene);
        yield return ("mild noise", scene, Map(scene, v => v + rng.Next(-max / 40, max / 40 + 1), max));
        yield return ("contrast gain", scene, Map(scene, v => (int)(v * 1.15) - max / 20, max));
        yield return ("contrast loss", scene, Map(scene, v => (v + max / 2) / 2, max));
        var noise = Map(new ushort[w * h], _ => rng.Next(max + 1), max);
        yield return ("independent noise", noise, Map(new ushort[w * h], _ => rng.Next(max + 1), max));
        yield return ("noise vs its negative", noise, Map(noise, v => max - v, max));
        var checker = Map(new ushort[w * h], _ => 0, max);
        for (var i = 0; i < w * h; i++)
        {
            checker[i] = (ushort)((i % w + i / w) % 2 == 0 ? 0 : max);
        }
        yield return ("full-scale checkerboard vs flat", checker, Map(checker, _ => max / 2, max));
        yield return ("full-scale checkerboard vs inverse", checker, Map(checker, v => max - v, max));
        yield return ("flat vs noise", Map(checker, _ => max / 3, max), noise);
    }

    /// <summary>Smooth gradients, hard edges and texture: every band gets content.</summary>
    private static ushort[] Scene(int w, int h, int max, Random rng)
    {
        var plane = new ushort[w * h];
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var v = max * (0.3 + 0.2 * Math.Sin(x * 0.21) * Math.Cos(y * 0.13)) + (x > w / 2 ? max * 0.3 : 0) +
                        ((x / 4 + y / 4) % 2 == 0 ? max * 0.1 : 0) + rng.Next(-max / 50, max / 50 + 1);
                plane[y * w + x] = (ushort)Math.Clamp((int)v, 0, max);
            }
        }
        return plane;
    }

    private static ushort[] Map(ushort[] plane, Func<int, int> f, int max) =>
        plane.Select(v => (ushort)Math.Clamp(f(v), 0, max)).ToArray();
}
