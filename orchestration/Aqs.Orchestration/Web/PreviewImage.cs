using Aqs.Shared.Rings;
using SkiaSharp;

namespace Aqs.Orchestration.Web;

/// <summary>
/// The live page's preview: the newest picture of the session's <c>raw</c> ring (what Kernel C is about to encode),
/// read from outside without joining the ring, as a small PNG.
/// </summary>
public static class PreviewImage
{
    public const string Ring = "raw";

    public static byte[]? Png(string session, int maxWidth)
    {
        // A slot overwritten while it was copied is dropped; on a busy machine that can happen a few times running.
        RingPicture? picture = null;
        for (var attempt = 0; attempt < 5 && picture is null; attempt++)
        {
            picture = RingInspector.NewestPicture(session, Ring, maxWidth);
        }
        if (picture is null)
        {
            return null;
        }
        var info = new SKImageInfo(picture.Width, picture.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(info);
        var pixels = new byte[picture.Width * picture.Height * 4];
        for (int i = 0, o = 0; i < picture.Rgb.Length; i += 3, o += 4)
        {
            pixels[o] = picture.Rgb[i];
            pixels[o + 1] = picture.Rgb[i + 1];
            pixels[o + 2] = picture.Rgb[i + 2];
            pixels[o + 3] = 255;
        }
        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 90);
        return data.ToArray();
    }
}
