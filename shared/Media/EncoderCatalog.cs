using System.Text;
using Aqs.Shared.Frames;

namespace Aqs.Shared.Media;

/// <summary>
/// Which of the encoders we drive (libx264, libx265, libsvtav1, libaom-av1, *_nvenc, *_qsv, *_vaapi, *_amf)
/// this machine really has. Software ones count when libavcodec has them; their pixel formats come from
/// AVCodec.pix_fmts. Hardware ones must also open a tiny 8-bit 4:2:0 session, since the library lists them
/// whether or not a GPU and driver exist. Probed once per process.
/// </summary>
public static class EncoderCatalog
{
    private static readonly Lazy<(EncoderInfo[] Available, (string Name, string Why)[] Missing)> Probe = new(Run);

    public static IReadOnlyList<EncoderInfo> Available() => Probe.Value.Available;

    /// <summary>The text of <c>--list-encoders</c>: one line per encoder we know, usable or not and why.</summary>
    public static string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine("encoder        codec  kind      bit depths  pixel formats                                                  live bitrate");
        foreach (var e in Available())
        {
            text.AppendLine($"{e.Name,-14} {CodecName(e.Codec),-6} {(e.IsHardware ? "hardware" : "software"),-9} {string.Join("/", e.BitDepths),-11} {string.Join(" ", e.PixelFormats.Select(f => f.FfmpegName())),-62} {(e.SupportsLiveBitrate ? "yes" : "no (re-open)")}");
        }
        foreach (var (name, why) in Probe.Value.Missing)
        {
            text.AppendLine($"{name,-14} not available: {why}");
        }
        return text.ToString().TrimEnd();
    }

    /// <summary>One line for error messages: "libx264 (8/10 bit), libx265 (8/10/12 bit), ...".</summary>
    public static string Summary() =>
        string.Join(", ", Available().Select(e => $"{e.Name} ({string.Join("/", e.BitDepths)} bit)"));

    internal static string CodecName(VideoCodec codec) => codec switch
    {
        VideoCodec.H264 => "h264",
        VideoCodec.Hevc => "hevc",
        VideoCodec.Av1 => "av1",
        _ => codec.ToString(),
    };

    /// <summary>Our pixel formats listed in the encoder's AVCodec.pix_fmts (AV_PIX_FMT_NONE-terminated).</summary>
    internal static unsafe PixelFormat[] PixelFormatsOf(IntPtr codec)
    {
        var list = (int*)new NativeStruct(codec, AvLayout.AVCodec_size_of).Read<IntPtr>(AvLayout.AVCodec_pix_fmts);
        var result = new List<PixelFormat>();
        for (var i = 0; list != null && list[i] != -1 && i < 256; i++)
        {
            if (AvPixelFormats.TryFromAvFormat(list[i], out var format) && !result.Contains(format)
                && AvPixelFormats.ToAvFormat(format) == list[i])
            {
                result.Add(format);
            }
        }
        return result.ToArray();
    }

    private static (EncoderInfo[], (string, string)[]) Run()
    {
        AvLibraries.EnsureSupported();
        var available = new List<EncoderInfo>();
        var missing = new List<(string, string)>();
        foreach (var known in KnownEncoder.All)
        {
            var codec = Interop.AvCodec.avcodec_find_encoder_by_name(known.Name);
            if (codec == IntPtr.Zero)
            {
                missing.Add((known.Name, "not in this libavcodec build"));
                continue;
            }
            var formats = PixelFormatsOf(codec);
            if (formats.Length == 0)
            {
                missing.Add((known.Name, "takes none of our pixel formats (hardware surfaces or nv12/p010 only)"));
                continue;
            }
            if (known.IsHardware)
            {
                var why = TryOpen(known, formats[0]);
                if (why is not null)
                {
                    missing.Add((known.Name, why));
                    continue;
                }
            }
            available.Add(new EncoderInfo(known.Name, known.Codec, known.IsHardware, formats, known.SupportsLiveBitrate));
        }
        return (available.ToArray(), missing.ToArray());
    }

    /// <summary>Opens a 256x144 session; null when it works, else libav's reason.</summary>
    private static string? TryOpen(KnownEncoder known, PixelFormat format)
    {
        // A missing driver is the expected answer here, not an error worth printing ("Cannot load libcuda.so.1").
        var level = Interop.AvUtil.av_log_get_level();
        Interop.AvUtil.av_log_set_level(Interop.AvUtil.AV_LOG_QUIET);
        try
        {
            using var encoder = VideoEncoder.OpenExact(known, new EncoderSettings(known.Name, 256, 144, format, 30, 1, 500_000));
            return null;
        }
        catch (AvException e)
        {
            return $"open test failed: {e.NativeText}";
        }
        finally
        {
            Interop.AvUtil.av_log_set_level(level);
        }
    }
}
