namespace Aqs.Shared.Tests.Quality.Vmaf;

/// <summary>
/// Textbook floating-point versions of the motion blur and scale-0 VIF, written from the published definitions
/// (Gaussian-weighted local statistics, sigma_n^2 = 2, log2 information ratio), independent of the fixed-point code.
/// </summary>
internal static class FloatReference
{
    public static double[] Blur(byte[] plane, int w, int h, double[] taps) =>
        Separable(plane.Select(v => (double)v).ToArray(), w, h, taps);

    public static double VifScale0(byte[] reference, byte[] distorted, int w, int h)
    {
        var taps = new[] { 489, 935, 1640, 2640, 3896, 5274, 6547, 7455, 7784, 7455, 6547, 5274, 3896, 2640, 1640, 935, 489 }
            .Select(t => t / 65536.0).ToArray();
        var x = reference.Select(v => (double)v).ToArray();
        var y = distorted.Select(v => (double)v).ToArray();
        var mu1 = Separable(x, w, h, taps);
        var mu2 = Separable(y, w, h, taps);
        var xx = Separable(x.Select(v => v * v).ToArray(), w, h, taps);
        var yy = Separable(y.Select(v => v * v).ToArray(), w, h, taps);
        var xy = Separable(x.Zip(y, (a, b) => a * b).ToArray(), w, h, taps);
        const double sigmaN = 2.0;
        double num = 0, den = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var s1 = xx[i] - mu1[i] * mu1[i];
            var s2 = Math.Max(yy[i] - mu2[i] * mu2[i], 0);
            var s12 = xy[i] - mu1[i] * mu2[i];
            if (s1 >= sigmaN)
            {
                den += Math.Log2(1 + s1 / sigmaN);
                if (s12 > 0 && s2 > 0)
                {
                    var g = s12 / s1;
                    var sv = Math.Max(s2 - g * s12, 0);
                    g = Math.Min(g, 100);
                    num += Math.Log2(1 + g * g * s1 / (sv + sigmaN));
                }
            }
            else
            {
                num += 1 - s2 * 4 / (255.0 * 255.0);
                den += 1;
            }
        }
        return num / den;
    }

    private static double[] Separable(double[] src, int w, int h, double[] taps)
    {
        var half = taps.Length / 2;
        var tmp = new double[src.Length];
        var dst = new double[src.Length];
        for (var i = 0; i < h; i++)
        {
            for (var j = 0; j < w; j++)
            {
                var s = 0.0;
                for (var k = 0; k < taps.Length; k++)
                {
                    s += taps[k] * src[Reflect(i - half + k, h) * w + j];
                }
                tmp[i * w + j] = s;
            }
        }
        for (var i = 0; i < h; i++)
        {
            for (var j = 0; j < w; j++)
            {
                var s = 0.0;
                for (var k = 0; k < taps.Length; k++)
                {
                    s += taps[k] * tmp[i * w + Reflect(j - half + k, w)];
                }
                dst[i * w + j] = s;
            }
        }
        return dst;
    }

    private static int Reflect(int i, int n) => i < 0 ? -i : i >= n ? 2 * n - i - 2 : i;
}
