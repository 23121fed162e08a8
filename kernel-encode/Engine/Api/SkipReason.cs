namespace Aqs.Engine;

/// <summary>Why the engine let a source frame go unencoded.</summary>
public enum SkipReason
{
    /// <summary>Encoded.</summary>
    None,
    /// <summary>Not one of the frames the chosen frame rate keeps (even decimation).</summary>
    Decimation,
    /// <summary>The link cannot take another frame now without building a queue.</summary>
    LinkBudget,
}
