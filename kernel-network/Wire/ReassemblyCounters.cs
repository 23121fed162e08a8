namespace Aqs.Kernel.Network.Wire;

/// <summary>Counts kept by a <see cref="FrameReassembler"/>: every packet lands in exactly one packet counter.</summary>
public struct ReassemblyCounters
{
    // Mutable struct, incremented in place by the reassembler.
    public long Stored;
    public long Duplicate;
    public long Redundant;
    public long Stale;
    public long Inconsistent;
    public long TooLarge;
    public long NoSlot;
    public long NotForUs;

    public long FramesCompleted;

    /// <summary>Completed frames that needed FEC recovery.</summary>
    public long FramesRecovered;

    /// <summary>Frames evicted incomplete (deadline passed or slot needed), or dropped as inconsistent.</summary>
    public long FramesLost;

    public long ShardsRecovered;

    public readonly long Packets => Stored + Duplicate + Redundant + Stale + Inconsistent + TooLarge + NoSlot + NotForUs;

    public override readonly string ToString() =>
        $"packets={Packets} stored={Stored} dup={Duplicate} redundant={Redundant} stale={Stale} inconsistent={Inconsistent} " +
        $"toolarge={TooLarge} noslot={NoSlot} other={NotForUs} frames: completed={FramesCompleted} recovered={FramesRecovered} lost={FramesLost}";
}
