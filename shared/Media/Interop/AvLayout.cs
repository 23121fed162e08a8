namespace Aqs.Shared.Media;

/// <summary>
/// Byte offsets of the public FFmpeg struct fields we read or write directly, for the ABI of libavcodec 59,
/// libavformat 59 and libavutil 57 (FFmpeg 5.x, x86-64). Everything reachable through AVOptions or an accessor
/// function goes that way instead; these are the fields that have neither. Measured with offsetof() against
/// Debian's 5.1 headers (/usr/include/x86_64-linux-gnu); a different major version changes them, so
/// <see cref="AvLibraries.EnsureSupported"/> refuses to run against one.
/// <code>
/// AVFrame (472 bytes)                     AVPacket
///   0 uint8_t* data[8]                      8 int64 pts
///  64 int     linesize[8]                  16 int64 dts
/// 104 int width  108 int height            24 uint8_t* data
/// 116 int format 120 int key_frame         32 int size
/// 124 int pict_type  136 int64 pts         40 int flags
/// 168 int quality  316 int flags           36 int stream_index
/// 344 int64 best_effort_timestamp          64 int64 duration
/// 376 int decode_error_flags
/// </code>
/// </summary>
internal static class AvLayout
{
    public const int SupportedAvCodecMajor = 59;
    public const int SupportedAvFormatMajor = 59;
    public const int SupportedAvUtilMajor = 57;
    public const int SupportedSwScaleMajor = 6;

    public const int AVFrame_data = 0;
    public const int AVFrame_linesize = 64;
    public const int AVFrame_width = 104;
    public const int AVFrame_height = 108;
    public const int AVFrame_format = 116;
    public const int AVFrame_key_frame = 120;
    public const int AVFrame_pict_type = 124;
    public const int AVFrame_pts = 136;
    public const int AVFrame_quality = 168;
    public const int AVFrame_flags = 316;
    public const int AVFrame_color_range = 320;
    public const int AVFrame_color_primaries = 324;
    public const int AVFrame_color_trc = 328;
    public const int AVFrame_colorspace = 332;
    public const int AVFrame_best_effort_timestamp = 344;
    public const int AVFrame_decode_error_flags = 376;
    public const int AVFrame_size = 472;

    public const int AVPacket_pts = 8;
    public const int AVPacket_dts = 16;
    public const int AVPacket_data = 24;
    public const int AVPacket_size = 32;
    public const int AVPacket_stream_index = 36;
    public const int AVPacket_flags = 40;
    public const int AVPacket_duration = 64;

    public const int AVCodec_name = 0;
    public const int AVCodec_id = 20;
    public const int AVCodec_capabilities = 24;
    public const int AVCodec_pix_fmts = 40;

    /// <summary>Read after open: the encoder's global headers (SPS/PPS, sequence header) when GLOBAL_HEADER was set.</summary>
    public const int AVCodecContext_extradata = 88;
    public const int AVCodecContext_extradata_size = 96;
    /// <summary>No AVOption maps to framerate in 5.1 (only time_base has one).</summary>
    public const int AVCodecContext_framerate = 712;
    /// <summary>Read back after open to know what pixel format the decoder chose.</summary>
    public const int AVCodecContext_pix_fmt = 136;

    public const int AVCodecParameters_codec_type = 0;
    public const int AVCodecParameters_codec_id = 4;
    public const int AVCodecParameters_extradata = 16;
    public const int AVCodecParameters_extradata_size = 24;
    public const int AVCodecParameters_format = 28;
    public const int AVCodecParameters_width = 56;
    public const int AVCodecParameters_height = 60;

    public const int AVStream_index = 0;
    public const int AVStream_time_base = 16;
    public const int AVStream_start_time = 24;
    public const int AVStream_duration = 32;
    public const int AVStream_nb_frames = 40;
    public const int AVStream_avg_frame_rate = 72;
    public const int AVStream_r_frame_rate = 200;
    public const int AVStream_codecpar = 208;

    public const int AVFormatContext_oformat = 16;
    public const int AVFormatContext_pb = 32;
    public const int AVFormatContext_nb_streams = 44;
    public const int AVFormatContext_streams = 48;
    /// <summary>AVIOInterruptCB { int (*callback)(void*); void* opaque; }, copied into every protocol the context opens.</summary>
    public const int AVFormatContext_interrupt_callback = 200;
    public const int AVIOInterruptCB_size_of = 16;

    /// <summary>The av_malloc'd buffer of an AVIOContext we allocated: ours to free after avio_context_free.</summary>
    public const int AVIOContext_buffer = 8;
    public const int AVIOContext_size_of = 216;

    public const int AVOutputFormat_flags = 44;

    public const int AVPacket_size_of = 104;
    public const int AVCodecContext_size_of = 944;
    public const int AVCodecParameters_size_of = 168;
    public const int AVStream_size_of = 224;
    public const int AVFormatContext_size_of = 472;
    /// <summary>Public part of AVCodec (FFCodec extends it privately).</summary>
    public const int AVCodec_size_of = 104;
    public const int AVOutputFormat_size_of = 176;

    public const int AVPixFmtDescriptor_nb_components = 8;
    public const int AVPixFmtDescriptor_log2_chroma_w = 9;
    public const int AVPixFmtDescriptor_log2_chroma_h = 10;
    public const int AVPixFmtDescriptor_flags = 16;
    /// <summary>comp[0].depth: AVComponentDescriptor is {plane, step, offset, shift, depth}, comp[] starts at 24.</summary>
    public const int AVPixFmtDescriptor_comp0_depth = 40;
    public const int AVPixFmtDescriptor_size_of = 112;
    public const long AV_PIX_FMT_FLAG_RGB = 1 << 5;
}
