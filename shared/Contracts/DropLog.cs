namespace Aqs.Shared.Contracts;

/// <summary>
/// Says once per <see cref="DropReason"/> that messages are being dropped: a misbehaving peer can
/// send thousands a second, and one line is enough to know it is happening; the counters say how often.
/// </summary>
internal sealed class DropLog(TextWriter output, string owner)
{
    private int _loggedMask;

    public void Report(DropReason reason, string detail)
    {
        var bit = 1 << (int)reason;
        if ((Interlocked.Or(ref _loggedMask, bit) & bit) != 0)
        {
            return;
        }
        try
        {
            output.WriteLine($"{owner}: dropped a control message ({Describe(reason)}: {detail}); further drops of this kind are only counted");
        }
        catch (Exception)
        {
            // A closed stderr must not take the control plane down with it.
        }
    }

    private static string Describe(DropReason reason) => reason switch
    {
        DropReason.Malformed => "malformed",
        DropReason.UnknownVersion => "unknown schema version",
        DropReason.UnknownType => "unknown type",
        _ => reason.ToString(),
    };
}
