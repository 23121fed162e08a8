using Aqs.Shared.Cli;

namespace Aqs.Shared.Media;

/// <summary>
/// Start-up check that the loaded FFmpeg libraries have the major versions whose struct layout
/// <see cref="AvLayout"/> describes. Every Media entry point calls <see cref="EnsureSupported"/> first.
/// </summary>
internal static class AvLibraries
{
    private static readonly Lazy<string?> Problem = new(Check, LazyThreadSafetyMode.ExecutionAndPublication);

    public const string SupportedText = "supported: FFmpeg 5.x (libavcodec 59, libavformat 59, libavutil 57, libswscale 6; Debian 12 packages libavcodec59 libavformat59 libswscale6)";

    public static void EnsureSupported()
    {
        var problem = Problem.Value;
        if (problem is not null)
        {
            throw new UserFacingException(problem);
        }
    }

    private static string? Check()
    {
        try
        {
            var found = new[]
            {
                ("libavcodec", Interop.AvCodec.avcodec_version() >> 16, AvLayout.SupportedAvCodecMajor),
                ("libavformat", Interop.AvFormat.avformat_version() >> 16, AvLayout.SupportedAvFormatMajor),
                ("libavutil", Interop.AvUtil.avutil_version() >> 16, AvLayout.SupportedAvUtilMajor),
                ("libswscale", Interop.SwScale.swscale_version() >> 16, AvLayout.SupportedSwScaleMajor),
            };
            foreach (var (name, major, wanted) in found)
            {
                if (major != wanted)
                {
                    return $"FFmpeg library {name} has major version {major}; {SupportedText}";
                }
            }
            // Quiet libav's own warnings (x264 banner lines, "non-monotonic" notes): errors only.
            // AQS_AV_LOGLEVEL (e.g. 48 = debug) raises it when chasing a libav problem.
            var level = int.TryParse(Environment.GetEnvironmentVariable("AQS_AV_LOGLEVEL"), out var requested) ? requested : Interop.AvUtil.AV_LOG_ERROR;
            Interop.AvUtil.av_log_set_level(level);
            return null;
        }
        catch (DllNotFoundException e)
        {
            return $"FFmpeg libraries not found ({FirstLine(e.Message)}); {SupportedText}";
        }
        catch (EntryPointNotFoundException e)
        {
            return $"FFmpeg library lacks a function we bind ({FirstLine(e.Message)}); {SupportedText}";
        }
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }
}
