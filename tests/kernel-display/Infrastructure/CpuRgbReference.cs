using Aqs.Kernel.Display.Rendering;
using Aqs.Shared.Frames;

namespace Aqs.Kernel.Display.Tests.Infrastructure;

/// <summary>
/// The conversions the renderer must match, written plainly in doubles: the BT.601/709/2020 equations with the
/// range's offsets and scales, chroma sited as H.264 sites it (co-sited horizontally, centred vertically in 4:2:0)
/// and interpolated bilinearly, then a separable resampler with the same kernel definitions.
/// </summary>
public static class CpuRgbReference
{
    public static double[] ToRgb(FrameLayout layout, byte[] packed, YuvColor color)
    {
        var w = layout.Width;
        var h = layout.Height;
        var depth = layout.Format.BitDepth();
        var bps = layout.Format.BytesPerSample();
        double scale = 1 << (depth - 8), max = (1 << depth) - 1, mid = 1 << (depth - 1);
        double Sample(int plane, int x, int y)
        {
            var o = layout.Offset(plane) + y * layout.Stride(plane) + x * bps;
            return bps == 1 ? packed[o] : packed[o] | (packed[o + 1] << 8);
        }
        double Chroma(int plane, double cx, double cy)
        {
            int cw = layout.PlaneWidth(plane), ch = layout.PlaneHeight(plane);
            cx = Math.Clamp(cx, 0, cw - 1);
            cy = Math.Clamp(cy, 0, ch - 1);
            int x0 = (int)Math.Floor(cx), y0 = (int)Math.Floor(cy);
            int x1 = Math.Min(x0 + 1, cw - 1), y1 = Math.Min(y0 + 1, ch - 1);
            double ax = cx - x0, ay = cy - y0;
            var top = Sample(plane, x0, y0) * (1 - ax) + Sample(plane, x1, y0) * ax;
            var bottom = Sample(plane, x0, y1) * (1 - ax) + Sample(plane, x1, y1) * ax;
            return top * (1 - ay) + bottom * ay;
        }
        var rgb = new double[w * h * 3];
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var luma = Sample(0, x, y);
                var yn = color.FullRange ? luma / max : (luma - 16 * scale) / (219 * scale);
                double cb = 0, cr = 0;
                if (layout.PlaneCount == 3)
                {
                    var sx = layout.Format.ChromaShiftX();
                    var sy = layout.Format.ChromaShiftY();
                    var cx = x / (double)(1 << sx);
                    var cy = sy == 1 ? (y + 0.5) * 0.5 - 0.5 : y;
                    var u = Chroma(1, cx, cy);
                    var v = Chroma(2, cx, cy);
                    cb = color.FullRange ? (u - mid) / max : (u - 128 * scale) / (224 * scale);
                    cr = color.FullRange ? (v - mid) / max : (v - 128 * scale) / (224 * scale);
                }
                var r = yn + 2 * (1 - color.Kr) * cr;
                var b = yn + 2 * (1 - color.Kb) * cb;
                var g = (yn - color.Kr * r - color.Kb * b) / (1 - color.Kr - color.Kb);
                var i = (y * w + x) * 3;
                rgb[i] = r;
                rgb[i + 1] = g;
                rgb[i + 2] = b;
            }
        }
        return rgb;
    }

    /// <summary>Separable resampling of an RGB image; output i sits at (i + 0.5)·src/dst − 0.5, edges clamped.</summary>
    public static double[] Resample(double[] rgb, int w, int h, int dw, int dh, ScaleFilter filter)
    {
        var mid = new double[dw * h * 3];
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < dw; x++)
            {
                foreach (var (index, weight) in Weights(w, dw, x, filter))
                {
                    for (var c = 0; c < 3; c++)
                    {
                        mid[(y * dw + x) * 3 + c] += weight * rgb[(y * w + index) * 3 + c];
                    }
                }
            }
        }
        var result = new double[dw * dh * 3];
        for (var y = 0; y < dh; y++)
        {
            foreach (var (index, weight) in Weights(h, dh, y, filter))
            {
                for (var x = 0; x < dw; x++)
                {
                    for (var c = 0; c < 3; c++)
                    {
                        result[(y * dw + x) * 3 + c] += weight * mid[(index * dw + x) * 3 + c];
                    }
                }
            }
        }
        return result;
    }

    private static List<(int Index, double Weight)> Weights(int source, int destination, int i, ScaleFilter filter)
    {
        var ratio = (double)source / destination;
        var stretch = Math.Max(1, ratio);
        var support = ResampleTable.Support(filter) * stretch;
        var centre = (i + 0.5) * ratio - 0.5;
        var taps = new List<(int, double)>();
        for (var k = (int)Math.Floor(centre - support) + 1; k <= (int)Math.Ceiling(centre + support); k++)
        {
            var weight = ResampleTable.Kernel(filter, (k - centre) / stretch);
            if (weight != 0)
            {
                taps.Add((Math.Clamp(k, 0, source - 1), weight));
            }
        }
        var sum = taps.Sum(t => t.Item2);
        return taps.Select(t => (t.Item1, t.Item2 / sum)).ToList();
    }

    public static byte To8Bit(double v) => (byte)Math.Clamp((int)Math.Floor(Math.Clamp(v, 0, 1) * 255 + 0.5), 0, 255);
}
