namespace Aqs.Shared.Contracts;

/// <summary>Why an incoming control message was thrown away instead of delivered.</summary>
public enum DropReason
{
    /// <summary>Nothing was dropped.</summary>
    None = 0,
    /// <summary>Not a well-formed envelope or body: truncated, wrong shapes, trailing bytes, values out of range.</summary>
    Malformed = 1,
    /// <summary>A known contract with a schema version this build cannot read.</summary>
    UnknownVersion = 2,
    /// <summary>A type tag this build does not know (a newer peer, or garbage).</summary>
    UnknownType = 3,
}
