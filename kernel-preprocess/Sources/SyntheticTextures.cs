namespace Aqs.Kernel.Preprocess.Sources;

/// <summary>
/// The periodic texture tiles the synthetic source scrolls through, made once at construction from the seed:
/// smooth value noise with hard-edged blocks (the "low" tile: shapes and edges), fine value noise with thin lines
/// (the "high" tile, weighted by the detail setting), and smooth chroma fields. Tile sides are powers of two so
/// wrapping is a mask. Values are 12-bit working units: low in 0..4095, high and chroma in -2047..2047.
/// </summary>
internal sealed class SyntheticTextures
{
    public int Width { get; }
    public int Height { get; }
    public int ChromaWidth { get; }
    public int ChromaHeight { get; }
    public short[] Low { get; }
    public short[] High { get; }
    public short[] ChromaU { get; }
    public short[] ChromaV { get; }

    public SyntheticTextures(int frameWidth, int frameHeight, int shiftX, int shiftY, ulong seed)
    {
        // At least the frame size up to 2048x1024 (beyond, the tile repeats: harmless for motion search, whose range is far smaller).
        Width = Math.Clamp((int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)frameWidth), 512, 2048);
        Height = Math.Clamp((int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)frameHeight), 512, 1024);
        ChromaWidth = Width >> shiftX;
        ChromaHeight = Height >> shiftY;
        var rng = new XorShift64(XorShift64.Mix(seed, 0x7E77u));
        var acc = new float[Width * Height];

        // Low: large blobs plus blocks with hard edges (what an encoder must spend bits on at edges).
        var amp = 1f;
        for (var cell = Math.Min(Width, Height) / 2; cell >= 32; cell /= 2, amp *= 0.6f)
        {
            AddValueNoise(acc, Width, Height, cell, amp, ref rng);
        }
        var blocks = 24 + Width * Height / 40000;
        for (var b = 0; b < blocks; b++)
        {
            AddRect(acc, Width, Height, rng.NextInt(Width), rng.NextInt(Height),
                8 + rng.NextInt(Width / 6), 8 + rng.NextInt(Height / 6), (float)rng.Range(-0.6, 0.6));
        }
        Low = Normalize(acc, 200, 3900);

        // High: fine grain and thin lines (texture, small detail).
        Array.Clear(acc);
        amp = 1f;
        for (var cell = 16; cell >= 2; cell /= 2, amp *= 0.8f)
        {
            AddValueNoise(acc, Width, Height, cell, amp, ref rng);
        }
        var lines = 40 + Width * Height / 20000;
        for (var l = 0; l < lines; l++)
        {
            var horizontal = rng.NextBool();
            var len = 16 + rng.NextInt(Math.Max(Width, Height) / 3);
            var thick = 1 + rng.NextInt(3);
            AddRect(acc, Width, Height, rng.NextInt(Width), rng.NextInt(Height),
                horizontal ? len : thick, horizontal ? thick : len, (float)rng.Range(-2.0, 2.0));
        }
        High = NormalizeSymmetric(acc, 2047);

        // Chroma: smooth colour fields.
        var cacc = new float[ChromaWidth * ChromaHeight];
        ChromaU = ChromaField(cacc, ref rng);
        ChromaV = ChromaField(cacc, ref rng);
    }

    private short[] ChromaField(float[] acc, ref XorShift64 rng)
    {
        Array.Clear(acc);
        var amp = 1f;
        for (var cell = Math.Min(ChromaWidth, ChromaHeight) / 2; cell >= 8; cell /= 2, amp *= 0.55f)
        {
            AddValueNoise(acc, ChromaWidth, ChromaHeight, cell, amp, ref rng);
        }
        return NormalizeSymmetric(acc, 2047);
    }

    /// <summary>Adds one octave of periodic value noise: a random lattice every <paramref name="cell"/> px, smoothstep-interpolated.</summary>
    private static void AddValueNoise(float[] acc, int w, int h, int cell, float amplitude, ref XorShift64 rng)
    {
        var gw = Math.Max(1, w / cell);
        var gh = Math.Max(1, h / cell);
        var lattice = new float[gw * gh];
        for (var i = 0; i < lattice.Length; i++)
        {
            lattice[i] = (float)rng.Range(-amplitude, amplitude);
        }
        var weight = new float[cell];
        for (var f = 0; f < cell; f++)
        {
            var t = (float)f / cell;
            weight[f] = t * t * (3 - 2 * t);
        }
        var top = new float[w];
        var bottom = new float[w];
        var cachedRow = -1;
        for (var y = 0; y < h; y++)
        {
            var j0 = (y / cell) % gh;
            if (j0 != cachedRow)
            {
                var j1 = (j0 + 1) % gh;
                for (var x = 0; x < w; x++)
                {
                    var i0 = (x / cell) % gw;
                    var i1 = (i0 + 1) % gw;
                    var wx = weight[x % cell];
                    top[x] = lattice[j0 * gw + i0] + (lattice[j0 * gw + i1] - lattice[j0 * gw + i0]) * wx;
                    bottom[x] = lattice[j1 * gw + i0] + (lattice[j1 * gw + i1] - lattice[j1 * gw + i0]) * wx;
                }
                cachedRow = j0;
            }
            var wy = weight[y % cell];
            var row = acc.AsSpan(y * w, w);
            for (var x = 0; x < w; x++)
            {
                row[x] += top[x] + (bottom[x] - top[x]) * wy;
            }
        }
    }

    /// <summary>Adds <paramref name="value"/> over a rectangle, wrapping around the tile edges.</summary>
    private static void AddRect(float[] acc, int w, int h, int x0, int y0, int rw, int rh, float value)
    {
        rw = Math.Min(rw, w);
        rh = Math.Min(rh, h);
        for (var dy = 0; dy < rh; dy++)
        {
            var row = ((y0 + dy) % h) * w;
            for (var dx = 0; dx < rw; dx++)
            {
                acc[row + (x0 + dx) % w] += value;
            }
        }
    }

    private static short[] Normalize(float[] acc, int lo, int hi)
    {
        float min = float.MaxValue, max = float.MinValue;
        foreach (var v in acc)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        var scale = max > min ? (hi - lo) / (max - min) : 0;
        var result = new short[acc.Length];
        for (var i = 0; i < acc.Length; i++)
        {
            result[i] = (short)(lo + (acc[i] - min) * scale);
        }
        return result;
    }

    private static short[] NormalizeSymmetric(float[] acc, int limit)
    {
        var peak = 1e-6f;
        foreach (var v in acc)
        {
            peak = Math.Max(peak, Math.Abs(v));
        }
        var scale = limit / peak;
        var result = new short[acc.Length];
        for (var i = 0; i < acc.Length; i++)
        {
            result[i] = (short)(acc[i] * scale);
        }
        return result;
    }
}
