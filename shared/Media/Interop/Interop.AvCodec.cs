using System.Runtime.InteropServices;

namespace Aqs.Shared.Media;

internal static unsafe partial class Interop
{
    /// <summary>libavcodec: encoders, decoders, packets.</summary>
    internal static partial class AvCodec
    {
        [LibraryImport(Libraries.AvCodec)]
        internal static partial uint avcodec_version();

        /// <summary>Returns an AVCodec* owned by the library (never freed).</summary>
        [LibraryImport(Libraries.AvCodec, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial IntPtr avcodec_find_encoder_by_name(string name);

        [LibraryImport(Libraries.AvCodec)]
        internal static partial IntPtr avcodec_find_decoder(int codecId);

        [LibraryImport(Libraries.AvCodec, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial IntPtr avcodec_find_decoder_by_name(string name);

        [LibraryImport(Libraries.AvCodec)]
        internal static partial SafeAvCodecContextHandle avcodec_alloc_context3(IntPtr codec);

        [LibraryImport(Libraries.AvCodec)]
        internal static partial void avcodec_free_context(ref IntPtr context);

        [LibraryImport(Libraries.AvCodec)]
        internal static partial int avcodec_open2(SafeAvCodecContextHandle context, IntPtr codec, IntPtr options);

        [LibraryImport(Libraries.AvCodec)]
        internal static partial int avcodec_send_frame(SafeAvCodecContextHandle context, SafeAvFrameHandle frame);

        /// <summary>The flush form: a NULL frame enters draining mode.</summary>
        [LibraryImport(Libraries.AvCodec, EntryPoint = "avcodec_send_frame")]
        internal static partial int avcodec_send_frame_eof(SafeAvCodecContextHandle context, IntPtr nullFrame);

        [LibraryImport(Libraries.AvCodec)]
        internal static partial int avcodec_receive_packet(SafeAvCodecContextHandle context, SafeAvPacketHandle packet);

        [LibraryImport(Libraries.AvCodec)]
        internal static partial int avcodec_send_packet(SafeAvCodecContextHandle context, SafeAvPacketHandle packet);

        [LibraryImport(Libraries.AvCodec, EntryPoint = "avcodec_send_packet")]
        internal static partial int avcodec_send_packet_eof(SafeAvCodecContextHandle context, IntPtr nullPacket);

        [LibraryImport(Libraries.AvCodec)]
        internal static partial int avcodec_receive_frame(SafeAvCodecContextHandle context, SafeAvFrameHandle frame);

        [LibraryImport(Libraries.AvCodec)]
        internal static partial int avcodec_parameters_to_context(SafeAvCodecContextHandle context, IntPtr codecpar);

        [LibraryImport(Libraries.AvCodec)]
        internal static partial int avcodec_parameters_from_context(IntPtr codecpar, SafeAvCodecContextHandle context);

        [LibraryImport(Libraries.AvCodec)]
        internal static partial SafeAvPacketHandle av_packet_alloc();

        [LibraryImport(Libraries.AvCodec)]
        internal static partial void av_packet_free(ref IntPtr packet);

        [LibraryImport(Libraries.AvCodec)]
        internal static partial void av_packet_unref(SafeAvPacketHandle packet);

        [LibraryImport(Libraries.AvCodec)]
        internal static partial byte* av_packet_get_side_data(SafeAvPacketHandle packet, int type, nuint* size);

        [LibraryImport(Libraries.AvCodec)]
        internal static partial void av_packet_rescale_ts(SafeAvPacketHandle packet, AVRational from, AVRational to);

        internal const int AV_PKT_DATA_QUALITY_STATS = 8;
        internal const int AV_PKT_FLAG_KEY = 1;
        internal const int AV_CODEC_FLAG_GLOBAL_HEADER = 1 << 22;
        internal const int AV_CODEC_CAP_HARDWARE = 1 << 18;
        internal const int FF_QP2LAMBDA = 118;
        internal const int FF_THREAD_SLICE = 2;
        internal const int AV_INPUT_BUFFER_PADDING_SIZE = 64;
        internal const int AVMEDIA_TYPE_VIDEO = 0;
        internal const int AV_CODEC_ID_H264 = 27;
        internal const int AV_CODEC_ID_HEVC = 173;
        internal const int AV_CODEC_ID_AV1 = 226;
        internal const int AV_PICTURE_TYPE_NONE = 0;
        internal const int AV_PICTURE_TYPE_I = 1;
        internal const int AV_PICTURE_TYPE_P = 2;
        internal const int AV_PICTURE_TYPE_B = 3;
        internal const int AV_FRAME_FLAG_CORRUPT = 1;
    }
}
