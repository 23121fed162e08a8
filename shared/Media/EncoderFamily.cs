using Aqs.Shared.Frames;

namespace Aqs.Shared.Media;

/// <summary>Which FFmpeg wrapper an encoder name belongs to: decides how our settings become its options.</summary>
internal enum EncoderFamily
{
    /// <summary>libx264.</summary>
    X264,
    /// <summary>libx265.</summary>
    X265,
    /// <summary>libsvtav1.</summary>
    SvtAv1,
    /// <summary>libaom-av1.</summary>
    Aom,
    /// <summary>*_nvenc (NVIDIA).</summary>
    Nvenc,
    /// <summary>*_qsv (Intel Quick Sync).</summary>
    Qsv,
    /// <summary>*_vaapi (Linux VA-API).</summary>
    Vaapi,
    /// <summary>*_amf (AMD).</summary>
    Amf,
}

/// <summary>One encoder we know how to drive.</summary>
internal sealed record KnownEncoder(string Name, VideoCodec Codec, EncoderFamily Family)
{
    public bool IsHardware => Family is EncoderFamily.Nvenc or EncoderFamily.Qsv or EncoderFamily.Vaapi or EncoderFamily.Amf;

    /// <summary>
    /// Whether libavcodec 59 re-configures this encoder when bit_rate changes on the open context.
    /// libx264.c's reconfig_encoder compares bit_rate/rc_max_rate/rc_buffer_size with x264's params before
    /// every frame and calls x264_encoder_reconfig; nvenc.c's reconfig_encoder does the same when the driver
    /// reports dynamic bitrate support. libx265.c, libsvtav1.c and libaomenc.c read the rate only at open.
    /// </summary>
    public bool SupportsLiveBitrate => Family is EncoderFamily.X264 or EncoderFamily.Nvenc;

    /// <summary>Preference order for "auto": hardware first (it frees the CPU), then H.264, HEVC, AV1 in software.</summary>
    public static readonly KnownEncoder[] All =
    [
        new("h264_nvenc", VideoCodec.H264, EncoderFamily.Nvenc),
        new("hevc_nvenc", VideoCodec.Hevc, EncoderFamily.Nvenc),
        new("av1_nvenc", VideoCodec.Av1, EncoderFamily.Nvenc),
        new("h264_qsv", VideoCodec.H264, EncoderFamily.Qsv),
        new("hevc_qsv", VideoCodec.Hevc, EncoderFamily.Qsv),
        new("av1_qsv", VideoCodec.Av1, EncoderFamily.Qsv),
        new("h264_vaapi", VideoCodec.H264, EncoderFamily.Vaapi),
        new("hevc_vaapi", VideoCodec.Hevc, EncoderFamily.Vaapi),
        new("av1_vaapi", VideoCodec.Av1, EncoderFamily.Vaapi),
        new("h264_amf", VideoCodec.H264, EncoderFamily.Amf),
        new("hevc_amf", VideoCodec.Hevc, EncoderFamily.Amf),
        new("av1_amf", VideoCodec.Av1, EncoderFamily.Amf),
        new("libx264", VideoCodec.H264, EncoderFamily.X264),
        new("libx265", VideoCodec.Hevc, EncoderFamily.X265),
        new("libsvtav1", VideoCodec.Av1, EncoderFamily.SvtAv1),
        new("libaom-av1", VideoCodec.Av1, EncoderFamily.Aom),
    ];

    public static KnownEncoder? Find(string name) =>
        Array.Find(All, e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));
}
