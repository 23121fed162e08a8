namespace Aqs.Shared.Cli;

/// <summary>
/// An error whose message is meant for the user as it stands: one line that names the input and
/// what is wrong with it. Executables print it without a stack trace and exit with <see cref="ExitCode"/>.
/// </summary>
public class UserFacingException : Exception
{
    public int ExitCode { get; }

    public UserFacingException(string message, int exitCode = 1, Exception? inner = null)
        : base(message, inner)
    {
        ExitCode = exitCode;
    }
}
