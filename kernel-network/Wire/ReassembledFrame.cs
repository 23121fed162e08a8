namespace Aqs.Kernel.Network.Wire;

/// <summary>
/// A complete frame held in a reassembler slot until <see cref="FrameReassembler.Release"/>; read its bytes with
/// <see cref="FrameReassembler.Data"/>.
/// </summary>
public readonly record struct ReassembledFrame(
    int Slot, uint FrameId, byte StreamId, bool IsKeyframe, int Length, long FirstArrivalUs, long CompletedUs, int RecoveredShards);
