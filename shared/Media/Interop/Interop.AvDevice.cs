using System.Runtime.InteropServices;

namespace Aqs.Shared.Media;

internal static unsafe partial class Interop
{
    /// <summary>libavdevice: capture devices (x11grab, v4l2...) as libavformat input formats.</summary>
    internal static partial class AvDevice
    {
        /// <summary>FFmpeg 5.1 soname (Debian 12 package libavdevice59).</summary>
        internal const string Library = "libavdevice.so.59";

        [LibraryImport(Library)]
        internal static partial uint avdevice_version();

        /// <summary>Makes the device demuxers findable through av_find_input_format; once per process is enough.</summary>
        [LibraryImport(Library)]
        internal static partial void avdevice_register_all();
    }

    internal static partial class AvFormat
    {
        /// <summary>The demuxer called <paramref name="shortName"/> (any of its comma-separated names), or null.</summary>
        [LibraryImport(Libraries.AvFormat, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial IntPtr av_find_input_format(string shortName);

        [LibraryImport(Libraries.AvFormat, EntryPoint = "avformat_open_input", StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int avformat_open_input_with_options(ref IntPtr context, string url, IntPtr format, ref IntPtr options);
    }

    internal static partial class AvUtil
    {
        /// <summary>Sets (copies) key=value in *dictionary, allocating it on first use.</summary>
        [LibraryImport(Libraries.AvUtil, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int av_dict_set(ref IntPtr dictionary, string key, string? value, int flags);

        [LibraryImport(Libraries.AvUtil)]
        internal static partial int av_dict_count(IntPtr dictionary);

        /// <summary>Frees the dictionary and zeroes the pointer.</summary>
        [LibraryImport(Libraries.AvUtil)]
        internal static partial void av_dict_free(ref IntPtr dictionary);

        [LibraryImport(Libraries.AvUtil, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial IntPtr av_dict_get(IntPtr dictionary, string key, IntPtr previous, int flags);

        internal const int AV_DICT_IGNORE_SUFFIX = 2;
    }
}
