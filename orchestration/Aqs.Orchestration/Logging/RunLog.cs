using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Aqs.Orchestration.Logging;

/// <summary>
/// The launcher's structured log: one line per event on standard error with a timestamp, level and category
/// (Microsoft.Extensions.Logging's simple console formatter), at <c>--log-level</c> and above.
/// </summary>
public static class RunLog
{
    public static ILoggerFactory Create(LogLevel minimum) =>
        LoggerFactory.Create(builder => builder
            .SetMinimumLevel(minimum)
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
                o.UseUtcTimestamp = false;
                o.ColorBehavior = LoggerColorBehavior.Disabled;
            })
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));

    public static LogLevel ParseLevel(string text) => text.ToLowerInvariant() switch
    {
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "info" or "information" => LogLevel.Information,
        "warn" or "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "none" or "off" => LogLevel.None,
        _ => throw new Aqs.Shared.Cli.UserFacingException($"--log-level: '{text}' is not trace, debug, info, warning, error or none", Aqs.Shared.Cli.CommandLineHost.ExitUsage),
    };
}
