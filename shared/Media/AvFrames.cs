using Aqs.Shared.Frames;

namespace Aqs.Shared.Media;

/// <summary>Moves pictures between our <see cref="PlanarFrame"/> views and AVFrame buffers.</summary>
internal static unsafe class AvFrames
{
    /// <summary>
    /// The colour description a decoded frame's bitstream defines. H.264 and HEVC (E.2.1 in both) infer
    /// video_full_range_flag = 0, limited range, when the VUI has no video signal type, but libavcodec reports that
    /// as "unspecified". libx264 writes no signal type for limited range with unspecified primaries, transfer and
    /// matrix (what a Y4M source declares), so without this every such stream read back as "range unknown".
    /// </summary>
    public static ColorDescription Color(in NativeStruct frame, VideoCodec codec)
    {
        var color = new ColorDescription(frame.Read<int>(AvLayout.AVFrame_color_range), frame.Read<int>(AvLayout.AVFrame_color_primaries),
            frame.Read<int>(AvLayout.AVFrame_color_trc), frame.Read<int>(AvLayout.AVFrame_colorspace));
        return color.Range == ColorDescription.RangeUnspecified && codec is VideoCodec.H264 or VideoCodec.Hevc
            ? color.WithRange(ColorDescription.RangeLimited)
            : color;
    }

    /// <summary>A view over the planes of a decoded AVFrame (no copy); valid while the frame keeps its buffers.</summary>
    public static PlanarFrame View(SafeAvFrameHandle frame, FrameLayout layout)
    {
        var f = NativeStruct.Frame(frame);
        return layout.PlaneCount == 1
            ? new PlanarFrame(layout, Plane(f, layout, 0), f.ReadElement<int>(AvLayout.AVFrame_linesize, 0, 8), default, 0, default, 0)
            : new PlanarFrame(layout,
                Plane(f, layout, 0), f.ReadElement<int>(AvLayout.AVFrame_linesize, 0, 8),
                Plane(f, layout, 1), f.ReadElement<int>(AvLayout.AVFrame_linesize, 1, 8),
                Plane(f, layout, 2), f.ReadElement<int>(AvLayout.AVFrame_linesize, 2, 8));
    }

    /// <summary>Copies <paramref name="source"/> row by row into the frame's own (writable) buffers.</summary>
    public static void CopyInto(in PlanarFrame source, SafeAvFrameHandle frame)
    {
        var f = NativeStruct.Frame(frame);
        var layout = source.Layout;
        for (var p = 0; p < layout.PlaneCount; p++)
        {
            var dst = (byte*)f.ReadElement<IntPtr>(AvLayout.AVFrame_data, p, 8);
            var dstStride = f.ReadElement<int>(AvLayout.AVFrame_linesize, p, 8);
            var rowBytes = layout.Stride(p);
            var rows = layout.PlaneHeight(p);
            var src = source.Plane(p);
            var srcStride = source.Stride(p);
            if (srcStride == dstStride && src.Length >= rowBytes * rows)
            {
                src[..(dstStride * (rows - 1) + rowBytes)].CopyTo(new Span<byte>(dst, dstStride * (rows - 1) + rowBytes));
                continue;
            }
            for (var y = 0; y < rows; y++)
            {
                src.Slice(y * srcStride, rowBytes).CopyTo(new Span<byte>(dst + (long)y * dstStride, rowBytes));
            }
        }
    }

    /// <summary>Checks the caller's frame matches the layout the encoder/scaler was opened with.</summary>
    public static void CheckLayout(in PlanarFrame frame, FrameLayout expected, string who)
    {
        if (frame.Layout != expected)
        {
            ThrowLayout(frame.Layout, expected, who);
        }
        for (var p = 0; p < expected.PlaneCount; p++)
        {
            var needed = (long)frame.Stride(p) * (expected.PlaneHeight(p) - 1) + expected.Stride(p);
            if (frame.Stride(p) < expected.Stride(p) || frame.Plane(p).Length < needed)
            {
                throw new ArgumentException($"{who}: plane {p} of the frame is too small: stride={frame.Stride(p)} length={frame.Plane(p).Length}, {expected} needs stride>={expected.Stride(p)} length>={needed}");
            }
        }
    }

    private static void ThrowLayout(FrameLayout got, FrameLayout expected, string who) =>
        throw new ArgumentException($"{who}: frame is {got} but this was opened for {expected}");

    private static ReadOnlySpan<byte> Plane(NativeStruct f, FrameLayout layout, int p)
    {
        var data = (byte*)f.ReadElement<IntPtr>(AvLayout.AVFrame_data, p, 8);
        var stride = f.ReadElement<int>(AvLayout.AVFrame_linesize, p, 8);
        if (data == null || stride < layout.Stride(p))
        {
            throw new InvalidOperationException($"decoded frame plane {p} is missing or narrower than {layout}");
        }
        return new ReadOnlySpan<byte>(data, stride * (layout.PlaneHeight(p) - 1) + layout.Stride(p));
    }

    public static PictureType PictureTypeOf(int pictType) => pictType switch
    {
        Interop.AvCodec.AV_PICTURE_TYPE_I => PictureType.I,
        Interop.AvCodec.AV_PICTURE_TYPE_P => PictureType.P,
        Interop.AvCodec.AV_PICTURE_TYPE_B => PictureType.B,
        _ => PictureType.Unknown,
    };
}
