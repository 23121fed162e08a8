namespace Aqs.Shared.Rings;

/// <summary>
/// Geometry and liveness settings of a ring, chosen by its producer.
/// </summary>
/// <param name="SlotCount">Number of slots, a power of two (2..65536).</param>
/// <param name="SlotCapacity">Largest payload a slot carries, in bytes (1 B .. 1 GiB).</param>
public sealed record RingOptions(int SlotCount, int SlotCapacity)
{
    /// <summary>How many consumers can attach at once (1..<see cref="RingDescriptor.MaxConsumerLimit"/>).</summary>
    public int MaxConsumers { get; init; } = 4;

    /// <summary>A peer whose heartbeat is older than this (or whose process is gone) counts as dead.</summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromSeconds(2);

    internal void Validate(string ringName)
    {
        if (SlotCount < 2 || SlotCount > 65536 || (SlotCount & (SlotCount - 1)) != 0)
        {
            throw new RingException($"ring {ringName}: slot count must be a power of two in 2..65536: slotCount={SlotCount}");
        }
        if (SlotCapacity < 1 || SlotCapacity > RingDescriptor.MaxSlotCapacity)
        {
            throw new RingException($"ring {ringName}: slot capacity must be 1..{RingDescriptor.MaxSlotCapacity} bytes: slotCapacity={SlotCapacity}");
        }
        if (MaxConsumers < 1 || MaxConsumers > RingDescriptor.MaxConsumerLimit)
        {
            throw new RingException($"ring {ringName}: max consumers must be 1..{RingDescriptor.MaxConsumerLimit}: maxConsumers={MaxConsumers}");
        }
        if (StaleAfter < TimeSpan.FromMilliseconds(10) || StaleAfter > TimeSpan.FromHours(1))
        {
            throw new RingException($"ring {ringName}: stale-after must be 10 ms .. 1 h: staleAfter={StaleAfter}");
        }
        if ((long)SlotCount * RingDescriptor.SlotSizeFor(SlotCapacity) > RingDescriptor.MaxRingBytes)
        {
            throw new RingException($"ring {ringName}: {SlotCount} slots of {SlotCapacity} bytes exceed {RingDescriptor.MaxRingBytes >> 30} GiB");
        }
    }
}
