using Aqs.Kernel.Network.Fec;

namespace Aqs.Kernel.Network.Wire;

/// <summary>
/// A fixed set of datagram buffers of <see cref="Stride"/> bytes in one block of native memory (stable addresses, so
/// parity is computed straight into the parity datagrams). Rent/return by index; no allocation after construction.
/// Single-threaded.
/// </summary>
public sealed class DatagramPool : IDisposable
{
    /// <summary>Bytes per buffer: a sealed datagram fits (1260), rounded to cache lines.</summary>
    public const int Stride = 1280;

    private readonly NativeBuffer _memory;
    private readonly int[] _free;
    private readonly bool[] _rented;
    private int _freeCount;

    public DatagramPool(int capacity)
    {
        if (capacity < 1 || capacity > (int.MaxValue / Stride))
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "capacity must be positive");
        }
        _memory = new NativeBuffer(capacity * Stride);
        _free = new int[capacity];
        _rented = new bool[capacity];
        for (var i = 0; i < capacity; i++)
        {
            _free[i] = capacity - 1 - i;
        }
        _freeCount = capacity;
    }

    public int Capacity => _free.Length;

    public int Available => _freeCount;

    public bool TryRent(out int index)
    {
        if (_freeCount == 0)
        {
            index = -1;
            return false;
        }
        index = _free[--_freeCount];
        _rented[index] = true;
        return true;
    }

    public void Return(int index)
    {
        if ((uint)index >= (uint)Capacity || !_rented[index])
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, "not a rented buffer of this pool (returned twice?)");
        }
        _rented[index] = false;
        _free[_freeCount++] = index;
    }

    /// <summary>The whole buffer of <paramref name="index"/>; a datagram's bytes are its first <see cref="PacketRef.Length"/>.</summary>
    public Span<byte> Buffer(int index) => _memory.Span.Slice(Offset(index), Stride);

    public Span<byte> Datagram(PacketRef packet) => Buffer(packet.Buffer)[..packet.Length];

    internal NativeBuffer Memory => _memory;

    internal int Offset(int index)
    {
        if ((uint)index >= (uint)Capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"pool has {Capacity} buffers");
        }
        return index * Stride;
    }

    public void Dispose() => _memory.Dispose();
}
