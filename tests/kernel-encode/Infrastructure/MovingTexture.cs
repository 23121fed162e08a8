using Aqs.Engine.Analysis;

namespace Aqs.Kernel.Encode.Tests.Infrastructure;

/// <summary>
/// A luma test source: a window onto a large random texture that pans by <see cref="Speed"/> samples a frame, with a
/// new texture at each cut. Deterministic for a seed. 8-bit.
/// </summary>
internal sealed class MovingTexture
{
    private readonly int _width;
    private readonly int _height;
    private byte[] _texture;
    private readonly int _textureWidth;
    private readonly int _textureHeight;
    private readonly byte[] _frame;
    private int _seed;
    private double _offset;

    public MovingTexture(int width, int height, int seed = 1)
    {
        _width = width;
        _height = height;
        _textureWidth = width * 4;
        _textureHeight = height + 16;
        _seed = seed;
        _texture = Texture(seed);
        _frame = new byte[width * height];
    }

    /// <summary>Pan speed, samples per frame.</summary>
    public double Speed { get; set; }

    public void Cut() => _texture = Texture(++_seed);

    public LumaPlane Next()
    {
        _offset = (_offset + Speed) % (_textureWidth - _width);
        var x0 = (int)_offset;
        for (var y = 0; y < _height; y++)
        {
            Array.Copy(_texture, (y + 8) * _textureWidth + x0, _frame, y * _width, _width);
        }
        return new LumaPlane(_frame, _width, _height, _width, 8);
    }

    public ReadOnlySpan<byte> Pixels => _frame;

    /// <summary>Smooth blobs plus fine grain: detail an encoder must spend bits on, and structure motion moves.</summary>
    private byte[] Texture(int seed)
    {
        var random = new Random(seed);
        var t = new byte[_textureWidth * _textureHeight];
        var phase = random.NextDouble() * 10;
        for (var y = 0; y < _textureHeight; y++)
        {
            for (var x = 0; x < _textureWidth; x++)
            {
                var smooth = 128 + 60 * Math.Sin(x * 0.05 + phase) * Math.Cos(y * 0.07 + phase * 0.5);
                t[y * _textureWidth + x] = (byte)Math.Clamp(smooth + random.Next(-24, 25), 0, 255);
            }
        }
        return t;
    }
}
