using Aqs.Kernel.Network.Wire;

namespace Aqs.Kernel.Network.Transport;

/// <summary>
/// The plaintext (header + payload, before sealing) of the most recent datagrams sent, indexed by transport
/// sequence, so a NACKed one can be resealed and sent again. A fixed ring of <see cref="Capacity"/> slots in one
/// array: storing overwrites the slot of <c>sequence - Capacity</c>, a lookup checks the slot still holds the
/// asked sequence. No allocation after construction. Not thread-safe: the sender guards it with its send lock.
/// </summary>
public sealed class SentPacketRing
{
    private const int SlotBytes = WireFormat.HeaderLength + WireFormat.MaxPayload;
    private readonly byte[] _bytes;
    private readonly long[] _sequence;
    private readonly int[] _length;
    private readonly long[] _frameStartUs;
    private readonly int _mask;

    /// <param name="capacity">Slots, a power of two; must cover the datagrams sent in one RTT plus a feedback interval.</param>
    public SentPacketRing(int capacity = 4096)
    {
        if (capacity < 1 || (capacity & (capacity - 1)) != 0 || capacity > 1 << 20)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "capacity must be a power of 2 up to 2^20");
        }
        _bytes = new byte[capacity * SlotBytes];
        _sequence = new long[capacity];
        Array.Fill(_sequence, -1L);
        _length = new int[capacity];
        _frameStartUs = new long[capacity];
        _mask = capacity - 1;
    }

    public int Capacity => _sequence.Length;

    /// <summary>Keeps <paramref name="plain"/> as sent under <paramref name="sequence"/>; <paramref name="frameStartUs"/> is when its frame's first datagram left.</summary>
    public void Store(uint sequence, ReadOnlySpan<byte> plain, long frameStartUs)
    {
        if (plain.Length > SlotBytes)
        {
            throw new ArgumentException($"datagram plaintext is at most {SlotBytes} bytes: length={plain.Length}", nameof(plain));
        }
        var slot = (int)(sequence & (uint)_mask);
        plain.CopyTo(_bytes.AsSpan(slot * SlotBytes, SlotBytes));
        _sequence[slot] = sequence;
        _length[slot] = plain.Length;
        _frameStartUs[slot] = frameStartUs;
    }

    /// <summary>The plaintext sent under <paramref name="sequence"/>, unless it has been overwritten since.</summary>
    public bool TryGet(long sequence, out Span<byte> plain, out long frameStartUs)
    {
        var slot = (int)(sequence & _mask);
        if (sequence < 0 || _sequence[slot] != sequence)
        {
            plain = default;
            frameStartUs = 0;
            return false;
        }
        plain = _bytes.AsSpan(slot * SlotBytes, _length[slot]);
        frameStartUs = _frameStartUs[slot];
        return true;
    }
}
