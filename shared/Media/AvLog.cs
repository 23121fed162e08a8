namespace Aqs.Shared.Media;

/// <summary>
/// libav's own log around a call whose failure we report ourselves in one line: a device that cannot open, a network
/// protocol that cannot connect ("[srt @ 0x..] Connection to srt://...?passphrase=SECRET failed"). Quiet unless
/// AQS_AV_LOGLEVEL asks for libav's logs. The level is process-wide: calls overlapping on other threads are quiet too.
/// </summary>
internal static class AvLog
{
    public static int Quietly(Func<int> call)
    {
        if (Environment.GetEnvironmentVariable("AQS_AV_LOGLEVEL") is not null)
        {
            return call();
        }
        var level = Interop.AvUtil.av_log_get_level();
        Interop.AvUtil.av_log_set_level(Interop.AvUtil.AV_LOG_QUIET);
        try
        {
            return call();
        }
        finally
        {
            Interop.AvUtil.av_log_set_level(level);
        }
    }
}

/// <summary>libav's own log for a process that reports every libav failure itself, in its own one line.</summary>
public static class MediaLog
{
    /// <summary>
    /// Turns libav's log off for the rest of the process, unless AQS_AV_LOGLEVEL asks for it: a broken input file
    /// otherwise prints a demuxer's complaints ("[matroska,webm @ 0x..] Element at .. exceeds ..") above our one line.
    /// </summary>
    public static void Quiet()
    {
        AvLibraries.EnsureSupported();
        if (Environment.GetEnvironmentVariable("AQS_AV_LOGLEVEL") is null)
        {
            Interop.AvUtil.av_log_set_level(Interop.AvUtil.AV_LOG_QUIET);
        }
    }
}
