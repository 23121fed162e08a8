namespace Aqs.Shared.Contracts;

/// <summary>
/// The number that names a contract inside an envelope. On the wire: never renumber, never reuse a
/// retired number for another type.
/// </summary>
public enum ContractTypeTag
{
    NetworkStats = 1,
    QualityFeedback = 2,
    EncoderDecision = 3,
    EncoderStats = 4,
    Command = 5,
    Heartbeat = 6,
    KeyframeRequest = 7,
}
