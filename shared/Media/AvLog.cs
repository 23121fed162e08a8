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
