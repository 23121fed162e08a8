using System.Runtime.InteropServices;

namespace Aqs.Kernel.Network.Fec;

/// <summary>
/// A fixed number of native table slots, least-recently-used replaced. A slot's memory only grows, so once the
/// working set of loss patterns has been seen no call allocates. Single-threaded.
/// </summary>
internal sealed unsafe class CodingTableCache : IDisposable
{
    private readonly Dictionary<CodingKey, int> _index;
    private readonly Slot[] _slots;
    private long _clock;

    public CodingTableCache(int capacity)
    {
        _index = new Dictionary<CodingKey, int>(capacity);
        _slots = new Slot[capacity];
    }

    public bool TryGet(in CodingKey key, out byte* tables)
    {
        if (_index.TryGetValue(key, out var slot))
        {
            _slots[slot].LastUse = ++_clock;
            tables = _slots[slot].Tables;
            return true;
        }
        tables = null;
        return false;
    }

    /// <summary>Claims a slot of at least <paramref name="bytes"/> for <paramref name="key"/>, evicting the least recently used.</summary>
    public byte* Add(in CodingKey key, int bytes)
    {
        var victim = 0;
        for (var i = 0; i < _slots.Length; i++)
        {
            if (!_slots[i].InUse)
            {
                victim = i;
                break;
            }
            if (_slots[i].LastUse < _slots[victim].LastUse)
            {
                victim = i;
            }
        }
        ref var s = ref _slots[victim];
        if (s.InUse)
        {
            _index.Remove(s.Key);
        }
        if (s.Capacity < bytes)
        {
            NativeMemory.AlignedFree(s.Tables);
            s.Tables = (byte*)NativeMemory.AlignedAlloc((nuint)bytes, 64);
            s.Capacity = bytes;
        }
        s.Key = key;
        s.InUse = true;
        s.LastUse = ++_clock;
        _index[key] = victim;
        return s.Tables;
    }

    public void Dispose()
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            NativeMemory.AlignedFree(_slots[i].Tables);
            _slots[i] = default;
        }
        _index.Clear();
    }

    private struct Slot
    {
        public CodingKey Key;
        public byte* Tables;
        public int Capacity;
        public long LastUse;
        public bool InUse;
    }
}
