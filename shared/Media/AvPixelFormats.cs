using Aqs.Shared.Frames;

namespace Aqs.Shared.Media;

/// <summary>
/// Our <see cref="PixelFormat"/> to FFmpeg's AVPixelFormat number and back, looked up by name with
/// av_get_pix_fmt once (so no enum numbers are hard-coded). The JPEG-range yuvj* formats map to their
/// yuv* twins: same planes, only the range flag differs.
/// </summary>
internal static class AvPixelFormats
{
    private static readonly int[] ToAv = BuildToAv();
    private static readonly Dictionary<int, PixelFormat> FromAv = BuildFromAv();

    public static int ToAvFormat(PixelFormat format) => ToAv[(int)format] is var value && value >= 0
        ? value
        : throw new ArgumentOutOfRangeException(nameof(format), format, "no FFmpeg pixel format");

    public static bool TryFromAvFormat(int avFormat, out PixelFormat format) => FromAv.TryGetValue(avFormat, out format);

    public static unsafe string Name(int avFormat)
    {
        var name = Interop.AvUtil.av_get_pix_fmt_name(avFormat);
        return name == null ? $"#{avFormat}" : new string((sbyte*)name);
    }

    private static int[] BuildToAv()
    {
        AvLibraries.EnsureSupported();
        var map = new int[256];
        Array.Fill(map, -1);
        foreach (var format in PixelFormats.All)
        {
            map[(int)format] = Interop.AvUtil.av_get_pix_fmt(format.FfmpegName());
        }
        return map;
    }

    private static Dictionary<int, PixelFormat> BuildFromAv()
    {
        var map = new Dictionary<int, PixelFormat>();
        foreach (var format in PixelFormats.All)
        {
            map[ToAv[(int)format]] = format;
        }
        map[Interop.AvUtil.av_get_pix_fmt("yuvj420p")] = PixelFormat.Yuv420p;
        map[Interop.AvUtil.av_get_pix_fmt("yuvj422p")] = PixelFormat.Yuv422p;
        map[Interop.AvUtil.av_get_pix_fmt("yuvj444p")] = PixelFormat.Yuv444p;
        return map;
    }
}
