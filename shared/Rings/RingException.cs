using Aqs.Shared.Cli;

namespace Aqs.Shared.Rings;

/// <summary>A ring cannot be created, attached or used; the one-line message names the ring file and what is wrong.</summary>
public sealed class RingException : UserFacingException
{
    public RingException(string message, Exception? inner = null)
        : base(message, 1, inner)
    {
    }
}
