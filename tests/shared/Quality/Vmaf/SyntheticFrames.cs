namespace Aqs.Shared.Tests.Quality.Vmaf;

/// <summary>Deterministic test pictures: smooth gradients, edges and texture, plus seeded noise.</summary>
internal static class SyntheticFrames
{
    /// <summary>An 8-bit luma plane (stride = width) with content that moves with <paramref name="t"/>.</summary>
    public static byte[] Scene(int width, int height, int t, int seed = 1)
    {
        var rng = new Random(seed);
        var texture = new byte[width * height];
        rng.NextBytes(texture);
        var plane = new byte[width * height];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var gradient = 40 + 120.0 * (x + 2 * t) / (width + 2.0 * t + 1);
                var box = ((x + 3 * t) / 16 + y / 16) % 2 == 0 ? 50 : 0;
                var wave = 30 * Math.Sin((x + t) * 0.31) * Math.Cos(y * 0.17);
                var grain = (texture[y * width + x] - 128) / 16.0;
                plane[y * width + x] = Clamp(gradient + box + wave + grain, 255);
            }
        }
        return plane;
    }

    /// <summary>The plane plus uniform noise of +-<paramref name="amplitude"/>.</summary>
    public static byte[] Noisy(byte[] plane, int amplitude, int seed)
    {
        var rng = new Random(seed);
        var result = new byte[plane.Length];
        for (var i = 0; i < plane.Length; i++)
        {
            result[i] = Clamp(plane[i] + rng.Next(-amplitude, amplitude + 1), 255);
        }
        return result;
    }

    /// <summary>A 3x3 box blur of the plane (a detail-losing distortion).</summary>
    public static byte[] Blurred(byte[] plane, int width, int height)
    {
        var result = new byte[plane.Length];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var sum = 0;
                for (var dy = -1; dy <= 1; dy++)
                {
                    for (var dx = -1; dx <= 1; dx++)
                    {
                        sum += plane[Math.Clamp(y + dy, 0, height - 1) * width + Math.Clamp(x + dx, 0, width - 1)];
                    }
                }
                result[y * width + x] = (byte)((sum + 4) / 9);
            }
        }
        return result;
    }

    /// <summary>The 8-bit plane as 10-bit little-endian words (value * 4).</summary>
    public static byte[] To10Bit(byte[] plane)
    {
        var result = new byte[plane.Length * 2];
        for (var i = 0; i < plane.Length; i++)
        {
            var v = plane[i] << 2;
            result[2 * i] = (byte)v;
            result[2 * i + 1] = (byte)(v >> 8);
        }
        return result;
    }

    private static byte Clamp(double v, int max) => (byte)Math.Clamp((int)Math.Round(v), 0, max);
}
