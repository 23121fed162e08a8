using Aqs.Shared.Frames;

namespace Aqs.Shared.Tests.Quality.Infrastructure;

/// <summary>
/// Deterministic test frames: a reference of gradients, edges and noise, and distortions of it that cover
/// small noise, blocky changes, saturated extremes and identical planes.
/// </summary>
public static class SyntheticFrames
{
    public static byte[] Reference(FrameLayout layout, int seed)
    {
        var frame = new byte[layout.FrameSize];
        var rng = new Random(seed);
        var max = (1 << layout.Format.BitDepth()) - 1;
        for (var p = 0; p < layout.PlaneCount; p++)
        {
            var w = layout.PlaneWidth(p);
            var h = layout.PlaneHeight(p);
            for (var y = 0; y < h; y++)
            {
                for (var x = 0; x < w; x++)
                {
                    var gradient = (x * 7 + y * 3 + p * 50 + seed * 13) % (max + 1);
                    var edge = ((x / 5) + (y / 3)) % 2 == 0 ? max / 4 : 0;
                    var v = (gradient + edge + rng.Next(0, max / 16 + 1)) % (max + 1);
                    Set(layout, frame, p, x, y, v);
                }
            }
        }
        return frame;
    }

    /// <summary>Distortion kind: 0 mild noise, 1 blocky shifts, 2 saturate to 0/max, 3 identical, 4 inverted.</summary>
    public static byte[] Distort(FrameLayout layout, byte[] reference, int kind, int seed)
    {
        var frame = (byte[])reference.Clone();
        var rng = new Random(seed * 7919 + kind);
        var max = (1 << layout.Format.BitDepth()) - 1;
        for (var p = 0; p < layout.PlaneCount; p++)
        {
            var w = layout.PlaneWidth(p);
            var h = layout.PlaneHeight(p);
            for (var y = 0; y < h; y++)
            {
                for (var x = 0; x < w; x++)
                {
                    var v = Get(layout, reference, p, x, y);
                    v = kind switch
                    {
                        0 => v + rng.Next(-max / 40 - 1, max / 40 + 2),
                        1 => ((x / 8 + y / 8 + p) % 3 == 0) ? v + max / 10 : v,
                        2 => rng.Next(2) == 0 ? 0 : max,
                        3 => v,
                        _ => max - v,
                    };
                    Set(layout, frame, p, x, y, Math.Clamp(v, 0, max));
                }
            }
        }
        return frame;
    }

    public static int Get(FrameLayout layout, byte[] frame, int plane, int x, int y)
    {
        var offset = layout.Offset(plane) + y * layout.Stride(plane);
        return layout.Format.BytesPerSample() == 1
            ? frame[offset + x]
            : frame[offset + 2 * x] | (frame[offset + 2 * x + 1] << 8);
    }

    public static void Set(FrameLayout layout, byte[] frame, int plane, int x, int y, int value)
    {
        var offset = layout.Offset(plane) + y * layout.Stride(plane);
        if (layout.Format.BytesPerSample() == 1)
        {
            frame[offset + x] = (byte)value;
        }
        else
        {
            frame[offset + 2 * x] = (byte)value;
            frame[offset + 2 * x + 1] = (byte)(value >> 8);
        }
    }
}
