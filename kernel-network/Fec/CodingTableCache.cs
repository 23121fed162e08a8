using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Aqs.Kernel.Network.Fec;

/// <summary>
/// Native coding tables in a 4-way set-associative cache: a key's hash picks a set of four slots, a lookup
/// compares at most four keys (O(1), no allocation, no dictionary), a miss replaces the least recently used slot of
/// that set. A slot's memory only grows, so once the working set of loss patterns has been seen no call allocates.
/// Four ways rather than direct-mapped so two patterns whose hashes collide do not evict each other on every call
/// (each eviction costs a matrix inversion). Single-threaded.
/// </summary>
internal sealed unsafe class CodingTableCache : IDisposable
{
    private const int Ways = 4;
    private readonly Slot[] _slots;
    private readonly int _setMask;
    private long _clock;

    /// <param name="sets">Number of sets, a power of two; capacity is 4x this.</param>
    public CodingTableCache(int sets)
    {
        if (sets <= 0 || (sets & (sets - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sets), sets, "sets must be a positive power of 2");
        }
        _slots = new Slot[sets * Ways];
        _setMask = sets - 1;
    }

    public int Capacity => _slots.Length;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGet(in CodingKey key, out byte* tables)
    {
        ref var slot = ref SetOf(key);
        for (var way = 0; way < Ways; way++, slot = ref Unsafe.Add(ref slot, 1))
        {
            if (slot.Tables != null && slot.Key.Matches(key))
            {
                slot.LastUse = ++_clock;
                tables = slot.Tables;
                return true;
            }
        }
        tables = null;
        return false;
    }

    /// <summary>Claims a slot of at least <paramref name="bytes"/> for <paramref name="key"/> (not present), evicting the set's least recently used.</summary>
    public byte* Add(in CodingKey key, int bytes)
    {
        ref var set = ref SetOf(key);
        ref var victim = ref set;
        for (var way = 0; way < Ways; way++)
        {
            ref var slot = ref Unsafe.Add(ref set, way);
            if (slot.Tables == null)
            {
                victim = ref slot;
                break;
            }
            if (slot.LastUse < victim.LastUse)
            {
                victim = ref slot;
            }
        }
        if (victim.Capacity < bytes)
        {
            NativeMemory.AlignedFree(victim.Tables);
            victim.Tables = null; // if the allocation below throws, the slot reads as empty rather than dangling
            victim.Capacity = 0;
            victim.Tables = (byte*)NativeMemory.AlignedAlloc((nuint)bytes, 64);
            victim.Capacity = bytes;
        }
        victim.Key = key;
        victim.LastUse = ++_clock;
        return victim.Tables;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref Slot SetOf(in CodingKey key) =>
        ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_slots), ((int)key.Hash & _setMask) * Ways);

    public void Dispose()
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            NativeMemory.AlignedFree(_slots[i].Tables);
            _slots[i] = default;
        }
    }

    private struct Slot
    {
        public CodingKey Key;
        public byte* Tables; // null: empty slot
        public int Capacity;
        public long LastUse;
    }
}
