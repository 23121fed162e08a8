using Aqs.Shared.Frames;

namespace Aqs.Kernel.Preprocess.Sources;

/// <summary>
/// Generated video with real motion: a textured background panning at the motion speed, 3..8 textured or flat
/// objects moving on their own paths and bouncing off the edges, temporal noise, and scene cuts that change the
/// texture mix, tone, colours, pan direction and objects. Frame N is a pure function of (options, seed, N), so the
/// same seed gives the same bytes, in any order. Limited-range BT.709.
/// <para>Speed: a frame is rows of tile copies plus one noise-add/clamp/store pass (Vector&lt;T&gt;); all buffers are
/// made in the constructor, nothing is allocated per frame. A scene change rebuilds the active tile (a few ms at 4K).</para>
/// </summary>
public sealed partial class SyntheticSource : IRewindableSource
{
    private const int NoiseTableMask = (1 << 16) - 1;
    private const int MaxObjects = 8;

    private readonly SyntheticOptions _options;
    private readonly SyntheticTimeline _timeline;
    private readonly SyntheticTextures _tex;
    private readonly int _shiftX;
    private readonly int _shiftY;
    private readonly short _yMin, _yMax, _cMin, _cMax;
    private readonly short[] _activeY;
    private readonly short[] _activeU;
    private readonly short[] _activeV;
    private readonly short[] _noiseUnit;
    private readonly short[] _noiseY;
    private readonly short[] _noiseC;
    private readonly short[] _row;
    private readonly SceneObject[] _objects = new SceneObject[MaxObjects];
    private int _objectCount;
    private long _activeScene = -1;
    private double _activeDetail = -1;
    private double _activeNoise = -1;
    private double _panCos, _panSin, _panX0, _panY0;
    private long _frame;

    public SyntheticSource(SyntheticOptions options)
    {
        options.Validate();
        _options = options;
        Layout = options.Layout;
        _timeline = new SyntheticTimeline(options);
        _shiftX = Layout.Format.ChromaShiftX();
        _shiftY = Layout.Format.ChromaShiftY();
        var s = options.BitDepth - 8;
        _yMin = (short)(16 << s);
        _yMax = (short)(235 << s);
        _cMin = (short)(16 << s);
        _cMax = (short)(240 << s);
        _tex = new SyntheticTextures(options.Width, options.Height, _shiftX, _shiftY, options.Seed);
        _activeY = new short[_tex.Width * _tex.Height];
        _activeU = new short[_tex.ChromaWidth * _tex.ChromaHeight];
        _activeV = new short[_tex.ChromaWidth * _tex.ChromaHeight];
        var pad = System.Numerics.Vector<short>.Count * 2;
        _row = new short[options.Width + pad];
        _noiseUnit = new short[NoiseTableMask + 1 + options.Width + pad];
        _noiseY = new short[_noiseUnit.Length];
        _noiseC = new short[_noiseUnit.Length];
        var rng = new XorShift64(XorShift64.Mix(options.Seed, 0x4015Eu));
        for (var i = 0; i < _noiseUnit.Length; i++)
        {
            // Sum of four uniforms: close enough to Gaussian grain; 1024 = one unit.
            var sum = 0;
            for (var k = 0; k < 4; k++)
            {
                sum += rng.NextInt(1025) - 512;
            }
            _noiseUnit[i] = (short)sum;
        }
    }

    public FrameLayout Layout { get; }
    public double Fps => _options.Fps;
    public ColorDescription Color => ColorDescription.Bt709Limited;
    public SyntheticOptions Options => _options;

    /// <summary>The number of the frame the next read delivers.</summary>
    public long NextFrame => _frame;

    public bool TryReadFrame(Span<byte> destination, out SourceFrameInfo info)
    {
        if (destination.Length < Layout.FrameSize)
        {
            throw new ArgumentException($"destination of {destination.Length} bytes is smaller than a {Layout} frame ({Layout.FrameSize} bytes)", nameof(destination));
        }
        var t = _frame++;
        var cut = Render(t, destination);
        info = new SourceFrameInfo(t, (long)Math.Round(t * 1e9 / _options.Fps), cut, cut || t == 0);
        return true;
    }

    public bool TrySkipFrame()
    {
        _frame++;
        return true;
    }

    public void Rewind() => _frame = 0;

    /// <summary>Draws frame <paramref name="t"/>; true if it starts a new scene.</summary>
    private bool Render(long t, Span<byte> destination)
    {
        ref readonly var segment = ref _timeline.SegmentAt(t);
        var (scene, sceneStart) = _timeline.SceneAt(t);
        if (scene != _activeScene || segment.Detail != _activeDetail)
        {
            BuildScene(scene, segment.Detail);
        }
        if (segment.Noise != _activeNoise)
        {
            BuildNoise(segment.Noise);
        }
        var travelled = _timeline.Distance(t) - _timeline.Distance(sceneStart);
        var panX = (int)Math.Floor(_panX0 + travelled * _panCos);
        var panY = (int)Math.Floor(_panY0 + travelled * _panSin);
        PlaceObjects(travelled);
        var rng = new XorShift64(XorShift64.Mix(_options.Seed, (ulong)t));
        var bps = Layout.Format.BytesPerSample();
        var lumaBytes = destination.Slice(Layout.Offset(0), Layout.PlaneSize(0));
        RenderLuma(lumaBytes, panX, panY, bps, ref rng);
        RenderChroma(destination.Slice(Layout.Offset(1), Layout.PlaneSize(1)), _activeU, panX, panY, bps, true, ref rng);
        RenderChroma(destination.Slice(Layout.Offset(2), Layout.PlaneSize(2)), _activeV, panX, panY, bps, false, ref rng);
        return t > 0 && sceneStart == t;
    }

    public void Dispose()
    {
    }
}
