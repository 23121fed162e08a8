using System.Runtime.InteropServices;

namespace Aqs.Shared.Media;

internal static unsafe partial class Interop
{
    /// <summary>libavutil: frames, options, errors, logging.</summary>
    internal static partial class AvUtil
    {
        [LibraryImport(Libraries.AvUtil)]
        internal static partial uint avutil_version();

        [LibraryImport(Libraries.AvUtil)]
        internal static partial void av_log_set_level(int level);

        [LibraryImport(Libraries.AvUtil)]
        internal static partial int av_log_get_level();

        [LibraryImport(Libraries.AvUtil)]
        internal static partial int av_strerror(int errnum, byte* errbuf, nuint errbufSize);

        [LibraryImport(Libraries.AvUtil)]
        internal static partial SafeAvFrameHandle av_frame_alloc();

        /// <summary>Frees the frame and zeroes the pointer; only <see cref="SafeAvFrameHandle"/> calls it.</summary>
        [LibraryImport(Libraries.AvUtil)]
        internal static partial void av_frame_free(ref IntPtr frame);

        [LibraryImport(Libraries.AvUtil)]
        internal static partial int av_frame_get_buffer(SafeAvFrameHandle frame, int align);

        /// <summary>Gives the frame its own buffers when the encoder still holds a reference to the old ones.</summary>
        [LibraryImport(Libraries.AvUtil)]
        internal static partial int av_frame_make_writable(SafeAvFrameHandle frame);

        [LibraryImport(Libraries.AvUtil)]
        internal static partial void av_frame_unref(SafeAvFrameHandle frame);

        [LibraryImport(Libraries.AvUtil, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int av_get_pix_fmt(string name);

        [LibraryImport(Libraries.AvUtil)]
        internal static partial byte* av_get_pix_fmt_name(int pixFmt);

        /// <summary>Returns a static AVPixFmtDescriptor* (never freed), or NULL for an unknown format.</summary>
        [LibraryImport(Libraries.AvUtil)]
        internal static partial IntPtr av_pix_fmt_desc_get(int pixFmt);

        [LibraryImport(Libraries.AvUtil, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int av_opt_set(IntPtr obj, string name, string val, int searchFlags);

        [LibraryImport(Libraries.AvUtil, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int av_opt_set_int(IntPtr obj, string name, long val, int searchFlags);

        [LibraryImport(Libraries.AvUtil, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int av_opt_set_q(IntPtr obj, string name, AVRational val, int searchFlags);

        [LibraryImport(Libraries.AvUtil, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int av_opt_get_int(IntPtr obj, string name, int searchFlags, out long outVal);

        [LibraryImport(Libraries.AvUtil)]
        internal static partial long av_rescale_q(long a, AVRational bq, AVRational cq);

        [LibraryImport(Libraries.AvUtil)]
        internal static partial void av_free(IntPtr ptr);

        [LibraryImport(Libraries.AvUtil)]
        internal static partial IntPtr av_mallocz(nuint size);

        /// <summary>av_opt_* flag: look in the codec's private options too (preset, tune, x264-params...).</summary>
        internal const int AV_OPT_SEARCH_CHILDREN = 1;
        internal const int AV_LOG_ERROR = 16;
        internal const int AV_LOG_QUIET = -8;
        internal const long AV_NOPTS_VALUE = long.MinValue;
    }

    /// <summary>AVRational, passed by value.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct AVRational
    {
        public int num;
        public int den;

        public AVRational(int num, int den)
        {
            this.num = num;
            this.den = den;
        }
    }
}
