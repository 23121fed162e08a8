using System.Runtime.InteropServices;

namespace Aqs.Shared.Media;

internal static unsafe partial class Interop
{
    /// <summary>libavformat: demuxing and muxing.</summary>
    internal static partial class AvFormat
    {
        [LibraryImport(Libraries.AvFormat)]
        internal static partial uint avformat_version();

        [LibraryImport(Libraries.AvFormat, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int avformat_open_input(ref IntPtr context, string url, IntPtr format, IntPtr options);

        /// <summary>Closes an input context and zeroes the pointer; only <see cref="SafeAvInputContextHandle"/> calls it.</summary>
        [LibraryImport(Libraries.AvFormat)]
        internal static partial void avformat_close_input(ref IntPtr context);

        [LibraryImport(Libraries.AvFormat)]
        internal static partial int avformat_find_stream_info(SafeAvInputContextHandle context, IntPtr options);

        [LibraryImport(Libraries.AvFormat)]
        internal static partial int av_find_best_stream(SafeAvInputContextHandle context, int type, int wantedStream, int relatedStream, IntPtr decoder, int flags);

        [LibraryImport(Libraries.AvFormat)]
        internal static partial int av_read_frame(SafeAvInputContextHandle context, SafeAvPacketHandle packet);

        [LibraryImport(Libraries.AvFormat, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int avformat_alloc_output_context2(out IntPtr context, IntPtr oformat, string? formatName, string fileName);

        [LibraryImport(Libraries.AvFormat)]
        internal static partial void avformat_free_context(IntPtr context);

        [LibraryImport(Libraries.AvFormat)]
        internal static partial IntPtr avformat_new_stream(SafeAvOutputContextHandle context, IntPtr codec);

        [LibraryImport(Libraries.AvFormat, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int avio_open(IntPtr* pb, string url, int flags);

        [LibraryImport(Libraries.AvFormat)]
        internal static partial int avio_closep(IntPtr* pb);

        [LibraryImport(Libraries.AvFormat)]
        internal static partial int avformat_write_header(SafeAvOutputContextHandle context, IntPtr options);

        [LibraryImport(Libraries.AvFormat)]
        internal static partial int av_interleaved_write_frame(SafeAvOutputContextHandle context, SafeAvPacketHandle packet);

        [LibraryImport(Libraries.AvFormat)]
        internal static partial int av_write_trailer(SafeAvOutputContextHandle context);

        internal const int AVIO_FLAG_WRITE = 2;
        internal const int AVFMT_NOFILE = 1;
        internal const int AVFMT_GLOBALHEADER = 0x40;
    }
}
