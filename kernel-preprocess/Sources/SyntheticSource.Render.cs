using Aqs.Shared.Frames;

namespace Aqs.Kernel.Preprocess.Sources;

public sealed partial class SyntheticSource
{
    private void RenderLuma(Span<byte> plane, int panX, int panY, int bps, ref XorShift64 rng)
    {
        int w = Layout.Width, h = Layout.Height, tw = _tex.Width, maskW = tw - 1, maskH = _tex.Height - 1;
        var row = _row.AsSpan(0, w);
        var stride = w * bps;
        var startX = panX & maskW;
        for (var y = 0; y < h; y++)
        {
            var ty = (y + panY) & maskH;
            SyntheticKernels.CopyWrappedAdd(_activeY.AsSpan(ty * tw, tw), startX, row, 0);
            for (var i = 0; i < _objectCount; i++)
            {
                ref readonly var o = ref _objects[i];
                var dy = y - o.Cy;
                if (dy < -o.HalfHeight || dy > o.HalfHeight)
                {
                    continue;
                }
                var half = o.Disc ? (int)MathF.Sqrt(o.HalfHeight * o.HalfHeight - dy * dy) : o.HalfWidth;
                var x0 = Math.Max(0, o.Cx - half);
                var x1 = Math.Min(w - 1, o.Cx + half);
                if (x1 < x0)
                {
                    continue;
                }
                var span = row.Slice(x0, x1 - x0 + 1);
                if (o.Textured)
                {
                    var texRow = (o.TexY + dy) & maskH;
                    SyntheticKernels.CopyWrappedAdd(_activeY.AsSpan(texRow * tw, tw), (o.TexX + x0 - o.Cx) & maskW, span, o.LumaOffset);
                }
                else
                {
                    span.Fill(o.FlatLuma);
                }
            }
            var noise = _noiseY.AsSpan((int)(rng.Next() >> 48) & NoiseTableMask, w);
            Store(row, noise, plane.Slice(y * stride, stride), _yMin, _yMax, bps);
        }
    }

    private void RenderChroma(Span<byte> plane, short[] active, int panX, int panY, int bps, bool isU, ref XorShift64 rng)
    {
        int w = Layout.PlaneWidth(1), h = Layout.PlaneHeight(1), tw = _tex.ChromaWidth, maskW = tw - 1, maskH = _tex.ChromaHeight - 1;
        var row = _row.AsSpan(0, w);
        var stride = w * bps;
        var startX = (panX >> _shiftX) & maskW;
        var startY = panY >> _shiftY;
        for (var y = 0; y < h; y++)
        {
            var ty = (y + startY) & maskH;
            SyntheticKernels.CopyWrappedAdd(active.AsSpan(ty * tw, tw), startX, row, 0);
            var lumaY = y << _shiftY;
            for (var i = 0; i < _objectCount; i++)
            {
                ref readonly var o = ref _objects[i];
                var dy = lumaY - o.Cy;
                if (dy < -o.HalfHeight || dy > o.HalfHeight)
                {
                    continue;
                }
                var half = o.Disc ? (int)MathF.Sqrt(o.HalfHeight * o.HalfHeight - dy * dy) : o.HalfWidth;
                var x0 = Math.Max(0, (o.Cx - half) >> _shiftX);
                var x1 = Math.Min(w - 1, (o.Cx + half) >> _shiftX);
                if (x1 >= x0)
                {
                    row.Slice(x0, x1 - x0 + 1).Fill(isU ? o.U : o.V);
                }
            }
            var noise = _noiseC.AsSpan((int)(rng.Next() >> 48) & NoiseTableMask, w);
            Store(row, noise, plane.Slice(y * stride, stride), _cMin, _cMax, bps);
        }
    }

    private static void Store(ReadOnlySpan<short> row, ReadOnlySpan<short> noise, Span<byte> dst, short min, short max, int bps)
    {
        if (bps == 1)
        {
            SyntheticKernels.StoreClamped8(row, noise, dst, min, max);
        }
        else
        {
            SyntheticKernels.StoreClamped16(row, noise, dst, min, max);
        }
    }
}
