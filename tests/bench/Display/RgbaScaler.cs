using Aqs.Kernel.Display.Rendering;
using SwScale = Aqs.Shared.Media.Interop.SwScale;
using Aqs.Shared.Frames;
using Aqs.Shared.Media;

namespace Aqs.Bench.Display;

/// <summary>The baseline: libswscale converting one of our planar layouts to packed RGBA at a given size.</summary>
internal sealed unsafe class RgbaScaler : IDisposable
{
    /// <summary>AV_PIX_FMT_RGBA in FFmpeg 5.1's enum.</summary>
    private const int AvPixFmtRgba = 26;

    private readonly SafeSwsContextHandle _context;
    private readonly FrameLayout _from;
    private readonly int _width;
    private readonly byte[] _padded;

    public RgbaScaler(FrameLayout from, int width, int height, ScaleFilter filter)
    {
        AvLibraries.EnsureSupported(); // one line when FFmpeg 5.1's libraries are not here
        _from = from;
        _width = width;
        var flags = (filter switch
        {
            ScaleFilter.Bilinear => SwScale.SWS_BILINEAR,
            ScaleFilter.Lanczos => SwScale.SWS_LANCZOS,
            _ => SwScale.SWS_BICUBIC,
        }) | SwScale.SWS_ACCURATE_RND | SwScale.SWS_FULL_CHR_H_INT;
        _context = SwScale.sws_getContext(from.Width, from.Height, AvPixelFormats.ToAvFormat(from.Format), width, height, AvPixFmtRgba,
            flags, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero);
        if (_context.IsInvalid)
        {
            throw new InvalidOperationException($"libswscale cannot convert {from} to {width}x{height} rgba");
        }
        _padded = new byte[width * height * 4 + 4096]; // libswscale's SIMD may write past the last row
    }

    public void Scale(byte[] packed, byte[] rgba)
    {
        fixed (byte* src = packed, dst = _padded)
        {
            var srcData = stackalloc byte*[4] { src + _from.Offset(0), src + _from.Offset(1), src + _from.Offset(2), null };
            var srcStride = stackalloc int[4] { _from.Stride(0), _from.Stride(1), _from.Stride(2), 0 };
            var dstData = stackalloc byte*[4] { dst, null, null, null };
            var dstStride = stackalloc int[4] { _width * 4, 0, 0, 0 };
            SwScale.sws_scale(_context, srcData, srcStride, 0, _from.Height, dstData, dstStride);
        }
        _padded.AsSpan(0, rgba.Length).CopyTo(rgba);
    }

    public void Dispose() => _context.Dispose();
}
