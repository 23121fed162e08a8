namespace Aqs.Shared.Rings;

/// <summary>
/// One slot of a ring as handed out by <see cref="FrameWriter.TryClaim"/> or
/// <see cref="FrameReader.TryRead"/>: the header and the payload, both directly over the mapped
/// file (zero copy). Valid until the slot is published or released; do not keep it beyond that.
/// </summary>
public ref struct FrameSlot
{
    private readonly ref SlotHeader _header;
    private readonly Span<byte> _payload;

    internal FrameSlot(ref SlotHeader header, Span<byte> payload, long sequence)
    {
        _header = ref header;
        _payload = payload;
        Sequence = sequence;
    }

    /// <summary>The slot's header, in place.</summary>
    public readonly ref SlotHeader Header => ref _header;

    /// <summary>The payload, in place: the claimed length for a writer, the header's PayloadLength for a reader.</summary>
    public readonly Span<byte> Payload => _payload;

    /// <summary>Ring sequence of the frame (0, 1, 2, ... over the ring's life, across producer restarts).</summary>
    public long Sequence { get; }

    /// <summary>True for the default value (no slot).</summary>
    public readonly bool IsEmpty => System.Runtime.CompilerServices.Unsafe.IsNullRef(ref _header);
}
