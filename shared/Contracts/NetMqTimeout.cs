namespace Aqs.Shared.Contracts;

/// <summary>
/// Trap: NetMQ 4.0.4.5 truncates a receive timeout to whole milliseconds and then treats 0 ms (from
/// any positive TimeSpan under 1 ms) as "wait for ever"; only exactly <see cref="TimeSpan.Zero"/> polls.
/// A negative TimeSpan also waits for ever. Every timeout handed to NetMQ goes through here.
/// </summary>
internal static class NetMqTimeout
{
    public static TimeSpan From(TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return timeout;
        }
        if (timeout <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }
        return TimeSpan.FromMilliseconds(Math.Ceiling(timeout.TotalMilliseconds));
    }
}
