using System.CommandLine;

namespace Aqs.Shared.Cli;

/// <summary>
/// Runs a System.CommandLine root the way every AQS executable should behave: a bad flag is one
/// line on stderr and exit code 2, an error the program raised (<see cref="UserFacingException"/>)
/// is one line and exit code 1, never a stack trace.
/// </summary>
public static class CommandLineHost
{
    public const int ExitUsage = 2;
    public const int ExitFailure = 1;

    public static int Run(string programName, RootCommand root, string[] args)
    {
        ParseResult parsed;
        try
        {
            parsed = root.Parse(args);
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"{programName}: {OneLine(ex.Message)}");
            return ExitUsage;
        }
        if (parsed.Errors.Count > 0)
        {
            Console.Error.WriteLine($"{programName}: {OneLine(parsed.Errors[0].Message)} (see --help)");
            return ExitUsage;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex) when (FindUserFacing(ex) is { } user)
        {
            Console.Error.WriteLine($"{programName}: {OneLine(user.Message)}");
            return user.ExitCode;
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"{programName}: unexpected {ex.GetType().Name}: {OneLine(ex.Message)}");
            if (Environment.GetEnvironmentVariable("AQS_DEBUG") == "1")
            {
                Console.Error.WriteLine(ex);
            }
            return ExitFailure;
        }
    }

    private static UserFacingException? FindUserFacing(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is UserFacingException user)
            {
                return user;
            }
        }
        return null;
    }

    public static string OneLine(string message) =>
        message.ReplaceLineEndings(" ").Trim();
}
