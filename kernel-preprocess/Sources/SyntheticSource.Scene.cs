namespace Aqs.Kernel.Preprocess.Sources;

public sealed partial class SyntheticSource
{
    /// <summary>A moving object of the current scene. Mutable struct in an array: update in place.</summary>
    private struct SceneObject
    {
        public bool Disc;
        public int HalfWidth;
        public int HalfHeight;
        public double X0, Y0, Vx, Vy;
        public bool Textured;
        public short LumaOffset;
        public short FlatLuma;
        public short U, V;
        public int TexX, TexY;
        // Where it is in the current frame (centre, luma pixels).
        public int Cx, Cy;
    }

    /// <summary>
    /// Makes the scene's active tiles and objects from (seed, scene, detail) alone: a new relative offset of the low and
    /// high tiles (a different picture, not a shifted one), mirroring, tone (mean, contrast, sometimes inverted), colour
    /// tint, pan direction and a new set of objects.
    /// </summary>
    private void BuildScene(long scene, double detail)
    {
        _activeScene = scene;
        _activeDetail = detail;
        var rng = new XorShift64(XorShift64.Mix(_options.Seed, 0x5CE0E00000UL + (ulong)scene));
        int tw = _tex.Width, th = _tex.Height, maskW = tw - 1, maskH = th - 1;
        var mirrorX = rng.NextBool();
        var mirrorY = rng.NextBool();
        var invert = rng.NextDouble() < 0.3;
        var mean = rng.Range(0.3, 0.7);
        var contrast = rng.Range(0.6, 1.0) * (invert ? -1 : 1);
        int ax = rng.NextInt(tw), ay = rng.NextInt(th), hx = rng.NextInt(tw), hy = rng.NextInt(th);
        var yRange = _yMax - _yMin;
        var baseY = (float)(_yMin + yRange * mean);
        var k = (float)(yRange * contrast / 4096.0);
        var detailWeight = (float)(detail * 0.9);
        var low = _tex.Low;
        var high = _tex.High;
        for (var y = 0; y < th; y++)
        {
            var lowRow = ((mirrorY ? maskH - y : y) + ay & maskH) * tw;
            var highRow = (y + hy & maskH) * tw;
            var outRow = y * tw;
            for (var x = 0; x < tw; x++)
            {
                var l = low[lowRow + ((mirrorX ? maskW - x : x) + ax & maskW)] - 2048;
                var h = high[highRow + (x + hx & maskW)];
                var v = baseY + k * (l + detailWeight * h);
                _activeY[outRow + x] = (short)Math.Clamp(v, _yMin, _yMax);
            }
        }

        var swap = rng.NextBool();
        BuildChroma(_activeU, swap ? _tex.ChromaV : _tex.ChromaU, ref rng);
        BuildChroma(_activeV, swap ? _tex.ChromaU : _tex.ChromaV, ref rng);

        // Mostly horizontal pans, sometimes vertical-ish, either way.
        var angle = rng.NextDouble() < 0.2 ? Math.PI / 2 + rng.Range(-0.3, 0.3) : rng.Range(-0.45, 0.45);
        if (rng.NextBool())
        {
            angle += Math.PI;
        }
        _panCos = Math.Cos(angle);
        _panSin = Math.Sin(angle);
        _panX0 = rng.NextInt(tw);
        _panY0 = rng.NextInt(th);

        int w = Layout.Width, hgt = Layout.Height;
        _objectCount = 3 + rng.NextInt(MaxObjects - 2);
        var cMid = (_cMin + _cMax) / 2;
        var cHalf = (_cMax - _cMin) / 2;
        for (var i = 0; i < _objectCount; i++)
        {
            ref var o = ref _objects[i];
            o.Disc = rng.NextBool();
            o.HalfHeight = Math.Max(2, (int)(hgt * rng.Range(0.03, 0.12)));
            o.HalfWidth = o.Disc ? o.HalfHeight : Math.Max(2, (int)(o.HalfHeight * rng.Range(0.6, 2.0)));
            o.X0 = rng.Range(0, w);
            o.Y0 = rng.Range(0, hgt);
            var dir = rng.Range(0, 2 * Math.PI);
            var speed = rng.Range(0.5, 2.0);
            o.Vx = Math.Cos(dir) * speed;
            o.Vy = Math.Sin(dir) * speed;
            o.Textured = rng.NextDouble() < 0.6;
            o.LumaOffset = (short)((rng.NextBool() ? 1 : -1) * yRange * rng.Range(0.15, 0.35));
            o.FlatLuma = (short)(_yMin + yRange * rng.Range(0.05, 0.95));
            o.U = (short)(cMid + cHalf * rng.Range(-0.7, 0.7));
            o.V = (short)(cMid + cHalf * rng.Range(-0.7, 0.7));
            o.TexX = rng.NextInt(tw);
            o.TexY = rng.NextInt(th);
        }
    }

    private void BuildChroma(short[] active, short[] field, ref XorShift64 rng)
    {
        var cMid = (_cMin + _cMax) / 2f;
        var cHalf = (_cMax - _cMin) / 2f;
        var tint = cMid + cHalf * (float)rng.Range(-0.25, 0.25);
        var gain = cHalf * (float)rng.Range(0.1, 0.4) / 2048f;
        var shift = rng.NextInt(field.Length);
        for (var i = 0; i < active.Length; i++)
        {
            var src = i + shift;
            if (src >= field.Length)
            {
                src -= field.Length;
            }
            active[i] = (short)Math.Clamp(tint + gain * field[src], _cMin, _cMax);
        }
    }

    /// <summary>Grain tables: the seed's fixed unit grain scaled to the noise amount (luma; chroma gets half).</summary>
    private void BuildNoise(double noise)
    {
        _activeNoise = noise;
        // The unit table is a sum of four uniforms on [-512, 512]: standard deviation 591.
        var sigmaY = noise * (10 << (_options.BitDepth - 8));
        var scaleY = (float)(sigmaY / 591.0);
        var scaleC = scaleY / 2;
        for (var i = 0; i < _noiseUnit.Length; i++)
        {
            _noiseY[i] = (short)MathF.Round(_noiseUnit[i] * scaleY);
            _noiseC[i] = (short)MathF.Round(_noiseUnit[i] * scaleC);
        }
    }

    /// <summary>Object centres after the background has travelled <paramref name="travelled"/> px in this scene.</summary>
    private void PlaceObjects(double travelled)
    {
        for (var i = 0; i < _objectCount; i++)
        {
            ref var o = ref _objects[i];
            o.Cx = Bounce(o.X0 + o.Vx * travelled, o.HalfWidth, Layout.Width);
            o.Cy = Bounce(o.Y0 + o.Vy * travelled, o.HalfHeight, Layout.Height);
        }
    }

    /// <summary>Reflects a position off the frame edges (a triangle wave), keeping the object inside.</summary>
    private static int Bounce(double p, int half, int size)
    {
        var lo = half;
        var span = size - 1 - 2 * half;
        if (span <= 0)
        {
            return size / 2;
        }
        var q = (p - lo) % (2.0 * span);
        if (q < 0)
        {
            q += 2.0 * span;
        }
        if (q > span)
        {
            q = 2.0 * span - q;
        }
        return lo + (int)q;
    }
}
