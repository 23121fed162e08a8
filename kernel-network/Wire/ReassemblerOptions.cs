namespace Aqs.Kernel.Network.Wire;

/// <summary>Bounds of a <see cref="FrameReassembler"/>; its memory is fixed by these at construction.</summary>
public sealed record ReassemblerOptions
{
    /// <summary>Largest frame accepted; bigger ones are dropped and counted.</summary>
    public int MaxFrameLength { get; init; } = 2 << 20;

    /// <summary>Frames assembled (or held by the consumer) at once; the oldest incomplete one is evicted for a new one.</summary>
    public int Slots { get; init; } = 8;

    /// <summary>Parity shards kept per frame (all blocks together).</summary>
    public int MaxParityShardsPerFrame { get; init; } = 1024;

    /// <summary>A frame still incomplete this long after its first packet is lost.</summary>
    public long FrameDeadlineUs { get; init; } = 300_000;

    /// <summary>Only packets of this stream are taken.</summary>
    public byte StreamId { get; init; }
}
