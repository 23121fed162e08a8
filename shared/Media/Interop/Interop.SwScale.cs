using System.Runtime.InteropServices;

namespace Aqs.Shared.Media;

internal static unsafe partial class Interop
{
    /// <summary>libswscale: size and pixel format conversion.</summary>
    internal static partial class SwScale
    {
        [LibraryImport(Libraries.SwScale)]
        internal static partial uint swscale_version();

        [LibraryImport(Libraries.SwScale)]
        internal static partial SafeSwsContextHandle sws_getContext(int srcW, int srcH, int srcFormat, int dstW, int dstH, int dstFormat,
            int flags, IntPtr srcFilter, IntPtr dstFilter, IntPtr param);

        [LibraryImport(Libraries.SwScale)]
        internal static partial void sws_freeContext(IntPtr context);

        /// <summary>An empty context to configure through AVOptions (srcw, src_format, src_range, ...) before sws_init_context.</summary>
        [LibraryImport(Libraries.SwScale)]
        internal static partial SafeSwsContextHandle sws_alloc_context();

        [LibraryImport(Libraries.SwScale)]
        internal static partial int sws_init_context(SafeSwsContextHandle context, IntPtr srcFilter, IntPtr dstFilter);

        [LibraryImport(Libraries.SwScale)]
        internal static partial int sws_scale(SafeSwsContextHandle context, byte** srcSlice, int* srcStride, int srcSliceY, int srcSliceH,
            byte** dst, int* dstStride);

        internal const int SWS_BILINEAR = 2;
        internal const int SWS_BICUBIC = 4;
        internal const int SWS_POINT = 0x10;
        internal const int SWS_AREA = 0x20;
        internal const int SWS_LANCZOS = 0x200;
        /// <summary>Exact rounding: bit-exact results, used so 8→10→8 round trips stay lossless.</summary>
        internal const int SWS_ACCURATE_RND = 0x40000;
        internal const int SWS_FULL_CHR_H_INT = 0x2000;
    }
}
