using System.Runtime.InteropServices;

namespace Aqs.Shared.Media;

internal static unsafe partial class Interop
{
    /// <summary>libavformat's network protocols and byte I/O: srt://, rist://, udp:// outputs, custom write callbacks, SDP.</summary>
    internal static partial class AvFormat
    {
        /// <summary>Initialises the network protocols (TLS, sockets); idempotent, once per process is enough.</summary>
        [LibraryImport(Libraries.AvFormat)]
        internal static partial int avformat_network_init();

        /// <summary>An empty AVFormatContext, so fields (the interrupt callback) can be set before avformat_open_input.</summary>
        [LibraryImport(Libraries.AvFormat)]
        internal static partial IntPtr avformat_alloc_context();

        /// <summary>Opens a protocol URL for writing with protocol options; <paramref name="interrupt"/> is copied.</summary>
        [LibraryImport(Libraries.AvFormat, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int avio_open2(IntPtr* pb, string url, int flags, IntPtr interrupt, ref IntPtr options);

        /// <summary>A byte-I/O context over our own callbacks; <paramref name="buffer"/> must come from av_malloc.</summary>
        [LibraryImport(Libraries.AvFormat)]
        internal static partial IntPtr avio_alloc_context(IntPtr buffer, int bufferSize, int writeFlag, IntPtr opaque,
            IntPtr readPacket, delegate* unmanaged[Cdecl]<IntPtr, byte*, int, int> writePacket, IntPtr seek);

        /// <summary>Frees the context (not its buffer) and zeroes the pointer.</summary>
        [LibraryImport(Libraries.AvFormat)]
        internal static partial void avio_context_free(ref IntPtr context);

        /// <summary>Writes the SDP describing <paramref name="count"/> muxer contexts (their url names the destination).</summary>
        [LibraryImport(Libraries.AvFormat)]
        internal static partial int av_sdp_create(IntPtr* contexts, int count, byte* buffer, int size);
    }

    internal static partial class AvUtil
    {
        [LibraryImport(Libraries.AvUtil)]
        internal static partial IntPtr av_malloc(nuint size);

        /// <summary>Frees *pointer and zeroes it.</summary>
        [LibraryImport(Libraries.AvUtil)]
        internal static partial void av_freep(IntPtr* pointer);
    }

    /// <summary>
    /// libsrt (SRT 1.5, Debian 12 package libsrt1.5-gnutls, a dependency of libavformat59): only its log, which is where
    /// the reason for a rejected connection ("Incorrect passphrase") appears; libavformat passes on just "I/O error".
    /// </summary>
    internal static partial class Srt
    {
        internal const string Library = "libsrt-gnutls.so.1.5";

        /// <summary>Replaces libsrt's printing to stderr with our handler(opaque, level, file, line, area, message).</summary>
        [LibraryImport(Library)]
        internal static partial void srt_setloghandler(IntPtr opaque, delegate* unmanaged[Cdecl]<IntPtr, int, byte*, int, byte*, byte*, void> handler);

        [LibraryImport(Library)]
        internal static partial void srt_setloglevel(int level);

        [LibraryImport(Library)]
        internal static partial void srt_setlogflags(int flags);

        /// <summary>syslog levels, as libsrt uses them.</summary>
        internal const int LOG_WARNING = 4;
        /// <summary>SRT_LOGF_DISABLE_TIME | _THREADNAME | _SEVERITY | _EOL: the bare message.</summary>
        internal const int SRT_LOGF_BARE = 1 | 2 | 4 | 8;
    }
}
