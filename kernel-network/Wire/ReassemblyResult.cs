namespace Aqs.Kernel.Network.Wire;

/// <summary>What <see cref="FrameReassembler.Accept"/> did with a packet.</summary>
public enum ReassemblyResult
{
    /// <summary>Kept; its frame is not complete yet.</summary>
    Stored,

    /// <summary>Kept, and its frame is now complete (take it with TryTakeFrame).</summary>
    Completed,

    /// <summary>This shard was already here.</summary>
    Duplicate,

    /// <summary>Its block was already complete (late parity, say); not needed.</summary>
    Redundant,

    /// <summary>Its frame was already delivered, lost, or is older than the history window.</summary>
    Stale,

    /// <summary>Disagrees with earlier packets of its frame or block, or the frame's blocks do not tile it; frame dropped if complete.</summary>
    Inconsistent,

    /// <summary>Frame or its parity exceeds the configured bounds.</summary>
    TooLarge,

    /// <summary>Every slot holds a complete frame the consumer has not released.</summary>
    NoSlot,

    /// <summary>Not a media or parity packet, or of another stream.</summary>
    NotForUs,
}
