namespace Aqs.Shared.Media;

internal static partial class Interop
{
    /// <summary>
    /// The FFmpeg 5.1 sonames we bind (Debian 12). The sonames carry the major version, so a machine with
    /// another FFmpeg fails to load them; <see cref="AvLibraries.EnsureSupported"/> turns that into one line.
    /// </summary>
    internal static class Libraries
    {
        internal const string AvUtil = "libavutil.so.57";
        internal const string AvCodec = "libavcodec.so.59";
        internal const string AvFormat = "libavformat.so.59";
        internal const string SwScale = "libswscale.so.6";
    }
}
