using System.Runtime.InteropServices;
using SkiaSharp;

namespace Aqs.Kernel.Display.Rendering;

/// <summary>
/// Writes rendered pictures as PNG files (SkiaSharp; ImageSharp has reported flaws with crafted images):
/// <c>frame-NNNNNNN.png</c> named by frame id, RGBA rows as the renderer produced them.
/// </summary>
public static class SnapshotWriter
{
    public static string Write(string directory, long frameId, ReadOnlySpan<byte> rgba, int width, int height)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"frame-{frameId:D7}.png");
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        var pixels = rgba[..(width * height * 4)].ToArray();
        var handle = GCHandle.Alloc(pixels, GCHandleType.Pinned);
        try
        {
            using var bitmap = new SKBitmap();
            if (!bitmap.InstallPixels(info, handle.AddrOfPinnedObject(), width * 4))
            {
                throw new IOException($"SkiaSharp refused a {width}x{height} RGBA picture");
            }
            using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100) ?? throw new IOException("SkiaSharp could not encode the PNG");
            using var file = File.Create(path);
            data.SaveTo(file);
        }
        finally
        {
            handle.Free();
        }
        return path;
    }

    /// <summary>Reads a PNG back as tight RGBA rows (tests, and checking a snapshot).</summary>
    public static byte[] Read(string path, out int width, out int height)
    {
        using var decoded = SKBitmap.Decode(path) ?? throw new IOException($"{path} is not a picture SkiaSharp can read");
        using var rgba = new SKBitmap(new SKImageInfo(decoded.Width, decoded.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        if (!decoded.CopyTo(rgba, SKColorType.Rgba8888))
        {
            throw new IOException($"{path}: cannot convert to RGBA");
        }
        width = rgba.Width;
        height = rgba.Height;
        return rgba.Bytes;
    }
}
