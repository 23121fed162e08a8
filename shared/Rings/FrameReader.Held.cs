namespace Aqs.Shared.Rings;

public sealed partial class FrameReader
{
    /// <summary>
    /// Hands out again the slot still held from the last <see cref="TryRead"/> (not yet released),
    /// for a consumer that looked at a frame, decided it is not its turn yet, and comes back to it.
    /// </summary>
    public bool TryGetHeld(out FrameSlot slot)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_held < 0)
        {
            slot = default;
            return false;
        }
        ref var header = ref _ring.Slot(_held);
        var length = Math.Clamp(header.PayloadLength, 0, _ring.SlotCapacity);
        slot = new FrameSlot(ref header, _ring.Payload(_held, length), _held);
        Heartbeat();
        return true;
    }
}
