using System.Globalization;

namespace Aqs.Engine;

/// <summary>One encoding operating point: picture size, frame rate (the source's over <see cref="Decimation"/>) and bit depth.</summary>
public readonly record struct Rung(int Width, int Height, double Fps, int Decimation, int BitDepth)
{
    public long PixelsPerSecond => (long)(Width * (long)Height * Fps);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Width}x{Height}@{Fps:0.##} {BitDepth}-bit");
}
