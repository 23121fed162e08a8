using Aqs.Shared.Frames;

namespace Aqs.Shared.Media;

/// <summary>
/// libswscale between any two of our layouts: size (up or down), chroma subsampling and bit depth.
/// Built once per pair of layouts; <see cref="Scale"/> allocates nothing. Not thread-safe.
/// </summary>
public sealed class VideoScaler : IDisposable
{
    private readonly SafeSwsContextHandle _context;
    // libswscale's SIMD writes may run past the end of a row or plane, so it writes into this padded, aligned
    // AVFrame and the rows are copied out: writing straight into a caller's tight buffer corrupted the heap.
    private readonly SafeAvFrameHandle _staging;

    public FrameLayout From { get; }
    public FrameLayout To { get; }

    public VideoScaler(FrameLayout from, FrameLayout to, ScaleQuality quality = ScaleQuality.Bicubic)
        : this(from.Width, from.Height, AvPixelFormats.ToAvFormat(from.Format), to, quality)
    {
        From = from;
    }

    /// <summary>
    /// Converts the sample range as well: <paramref name="fromFull"/> and <paramref name="toFull"/> say whether source
    /// and result use the full (0-255 at 8 bit) or the limited (16-235) range. The ranges are set before libswscale
    /// picks its path: set afterwards, a same-size same-format conversion stays a plain copy.
    /// </summary>
    public VideoScaler(FrameLayout from, FrameLayout to, ScaleQuality quality, bool fromFull, bool toFull)
    {
        AvLibraries.EnsureSupported();
        From = from;
        To = to;
        _context = Interop.SwScale.sws_alloc_context();
        var handle = _context.DangerousGetHandle();
        var failed = _context.IsInvalid;
        foreach (var (name, value) in new (string, long)[]
        {
            ("srcw", from.Width), ("srch", from.Height), ("src_format", AvPixelFormats.ToAvFormat(from.Format)),
            ("dstw", to.Width), ("dsth", to.Height), ("dst_format", AvPixelFormats.ToAvFormat(to.Format)),
            ("sws_flags", Flags(quality) | Interop.SwScale.SWS_ACCURATE_RND), ("src_range", fromFull ? 1 : 0), ("dst_range", toFull ? 1 : 0),
        })
        {
            failed = failed || Interop.AvUtil.av_opt_set_int(handle, name, value, 0) < 0;
        }
        if (failed || Interop.SwScale.sws_init_context(_context, IntPtr.Zero, IntPtr.Zero) < 0)
        {
            _context.Dispose();
            throw new ArgumentException($"libswscale cannot convert {from} ({(fromFull ? "full" : "limited")} range) to {to} ({(toFull ? "full" : "limited")} range)");
        }
        _staging = AllocateStaging(to);
    }

    private static SafeAvFrameHandle AllocateStaging(FrameLayout to)
    {
        var staging = Interop.AvUtil.av_frame_alloc();
        var f = NativeStruct.Frame(staging);
        f.Write(AvLayout.AVFrame_width, to.Width);
        f.Write(AvLayout.AVFrame_height, to.Height);
        f.Write(AvLayout.AVFrame_format, AvPixelFormats.ToAvFormat(to.Format));
        AvError.ThrowIfError(Interop.AvUtil.av_frame_get_buffer(staging, 64), "av_frame_get_buffer");
        return staging;
    }

    /// <summary>From a native format that is not one of ours (the file reader's conversions).</summary>
    internal VideoScaler(int width, int height, int avFormat, FrameLayout to, ScaleQuality quality)
    {
        AvLibraries.EnsureSupported();
        To = to;
        // ACCURATE_RND keeps bit-depth changes exact (8 -> 10 -> 8 gives the input back).
        var flags = Flags(quality) | Interop.SwScale.SWS_ACCURATE_RND;
        _context = Interop.SwScale.sws_getContext(width, height, avFormat, to.Width, to.Height, AvPixelFormats.ToAvFormat(to.Format),
            flags, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero);
        if (_context.IsInvalid)
        {
            throw new ArgumentException($"libswscale cannot convert {width}x{height} {AvPixelFormats.Name(avFormat)} to {to}");
        }
        _staging = AllocateStaging(to);
        From = default;
    }

    private static int Flags(ScaleQuality quality) => quality switch
    {
        ScaleQuality.Point => Interop.SwScale.SWS_POINT,
        ScaleQuality.Bilinear => Interop.SwScale.SWS_BILINEAR,
        ScaleQuality.Bicubic => Interop.SwScale.SWS_BICUBIC,
        ScaleQuality.Lanczos => Interop.SwScale.SWS_LANCZOS,
        ScaleQuality.Area => Interop.SwScale.SWS_AREA,
        _ => throw new ArgumentOutOfRangeException(nameof(quality), quality, "unknown scale quality"),
    };

    /// <summary>Converts <paramref name="src"/> (laid out as <see cref="From"/>) into a tightly packed <see cref="To"/> frame.</summary>
    public unsafe void Scale(in PlanarFrame src, Span<byte> dstPacked)
    {
        AvFrames.CheckLayout(src, From, "VideoScaler.Scale");
        fixed (byte* s0 = src.Plane0, s1 = src.Plane1, s2 = src.Plane2)
        {
            var srcData = stackalloc byte*[4] { s0, s1, s2, null };
            var srcStride = stackalloc int[4] { src.Stride0, src.Stride1, src.Stride2, 0 };
            ScaleFrom(srcData, srcStride, From.Height, dstPacked);
        }
    }

    /// <summary>The raw form: source planes as libswscale takes them.</summary>
    internal unsafe void ScaleFrom(byte** srcData, int* srcStride, int srcHeight, Span<byte> dstPacked)
    {
        if (dstPacked.Length < To.FrameSize)
        {
            throw new ArgumentException($"destination of {dstPacked.Length} bytes is smaller than a {To} frame ({To.FrameSize} bytes)", nameof(dstPacked));
        }
        var result = ScaleToStaging(srcData, srcStride, srcHeight);
        for (var p = 0; p < To.PlaneCount; p++)
        {
            var plane = dstPacked.Slice(To.Offset(p), To.PlaneSize(p));
            for (var y = 0; y < To.PlaneHeight(p); y++)
            {
                result.Row(p, y).CopyTo(plane.Slice(y * To.Stride(p), To.Stride(p)));
            }
        }
    }

    /// <summary>Scales into the internal frame and returns a view of it, valid until the next call.</summary>
    internal unsafe PlanarFrame ScaleToStaging(byte** srcData, int* srcStride, int srcHeight)
    {
        ObjectDisposedException.ThrowIf(_context.IsClosed, this);
        AvError.ThrowIfError(Interop.AvUtil.av_frame_make_writable(_staging), "av_frame_make_writable");
        var f = NativeStruct.Frame(_staging);
        var dstData = (byte**)f.FieldAddress(AvLayout.AVFrame_data, 8 * sizeof(IntPtr));
        var dstStride = (int*)f.FieldAddress(AvLayout.AVFrame_linesize, 8 * sizeof(int));
        AvError.ThrowIfError(Interop.SwScale.sws_scale(_context, srcData, srcStride, 0, srcHeight, dstData, dstStride), "sws_scale");
        return AvFrames.View(_staging, To);
    }

    public void Dispose()
    {
        _staging?.Dispose();
        _context.Dispose();
    }
}
