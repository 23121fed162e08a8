namespace Aqs.Shared.Contracts;

/// <summary>What could be read of an envelope before its body: for logging a drop precisely.</summary>
internal readonly record struct EnvelopeHeader(int SchemaVersion, int TypeTag)
{
    public static EnvelopeHeader Unknown => new(-1, -1);

    /// <summary>False when the bytes did not even hold a version and a tag.</summary>
    public bool IsKnown => TypeTag >= 0 || SchemaVersion >= 0;
}
