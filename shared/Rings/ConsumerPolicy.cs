namespace Aqs.Shared.Rings;

/// <summary>What a consumer asks of the producer when it falls behind.</summary>
public enum ConsumerPolicy
{
    /// <summary>Every frame, in order: the producer waits for this consumer (back-pressure) until it is detached as stale.</summary>
    Reliable = 0,

    /// <summary>The newest frame only: the producer never waits; the consumer skips to the newest published frame.</summary>
    Latest = 1,
}
