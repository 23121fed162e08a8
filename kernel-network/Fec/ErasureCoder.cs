using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Aqs.Kernel.Network.Fec;

/// <summary>
/// The decode logic both engines share: pick the first k present shards, invert their k x k generator rows,
/// keep the rows of the missing data shards as a decode matrix (cached per pattern), then run the engine's
/// dot-product kernel. Engines supply matrix generation, inversion, table expansion and the kernel.
/// </summary>
[SkipLocalsInit] // the 32-byte masks and out pointers are always written before read; skip zeroing them per call
public abstract unsafe class ErasureCoder : IErasureCoder
{
    private readonly CodingTableCache _cache = new(sets: 16); // 64 tables: (k, m) encode tables plus the loss patterns seen lately
    private byte* _generator;   // (k+m) x k
    private byte* _square;      // k x k, destroyed by inversion
    private byte* _inverse;     // k x k
    private byte* _rows;        // missing x k decode coefficients
    private byte** _sources;
    private byte** _targets;
    private CodingKey _lastKey;
    private byte* _lastTables;

    protected ErasureCoder()
    {
        const int cells = ShardSet.MaxShards * ShardSet.MaxShards;
        _generator = (byte*)NativeMemory.Alloc(cells + ShardSet.MaxShards);
        _square = (byte*)NativeMemory.Alloc(cells);
        _inverse = (byte*)NativeMemory.Alloc(cells);
        _rows = (byte*)NativeMemory.Alloc(cells);
        _sources = (byte**)NativeMemory.Alloc((nuint)(ShardSet.MaxShards * sizeof(byte*)));
        _targets = (byte**)NativeMemory.Alloc((nuint)(ShardSet.MaxShards * sizeof(byte*)));
    }

    /// <summary>ISA-L when libisal.so.2 loads, else the managed engine; says which through <paramref name="log"/>.</summary>
    public static IErasureCoder Create(Action<string>? log = null)
    {
        if (IsalErasureCoder.IsAvailable)
        {
            log?.Invoke("erasure code: Intel ISA-L (libisal.so.2)");
            return new IsalErasureCoder();
        }
        var managed = new ManagedErasureCoder();
        log?.Invoke($"erasure code: {managed.Engine} (libisal.so.2 not found; apt-get install libisal2 for the native engine)");
        return managed;
    }

    public abstract string Engine { get; }

    /// <summary>Fills the (k+m) x k generator, row-major.</summary>
    protected abstract void BuildGenerator(byte* matrix, int k, int totalRows);

    /// <summary>Inverts n x n <paramref name="input"/> (may be destroyed) into <paramref name="output"/>.</summary>
    protected abstract bool Invert(byte* input, byte* output, int n);

    /// <summary>32-byte nibble tables for <paramref name="rows"/> x <paramref name="k"/> coefficients.</summary>
    protected abstract void InitTables(int k, int rows, byte* coefficients, byte* tables);

    /// <summary>targets[r] = sum_j coefficient(r, j) * sources[j] over <paramref name="length"/> bytes.</summary>
    protected abstract void DotProducts(int length, int k, int rows, byte* tables, byte** sources, byte** targets);

    public void Encode(ShardSet shards)
    {
        int k = shards.DataShards, m = shards.ParityShards;
        if (m == 0)
        {
            return;
        }
        var table = shards.Table;
        if (!shards.AllBound)
        {
            ThrowUnbound();
        }
        var key = new CodingKey(k, m, default);
        if (!TryGetTables(key, out var tables))
        {
            tables = BuildEncodeTables(key);
        }
        DotProducts(shards.ShardLength, k, m, tables, table, table + k);
    }

    // The per-call cost ahead of the kernel is what separates us from ISA-L called from C (tests/bench/results/network.md),
    // so everything here is word-wide bit arithmetic on the 256-bit masks: no per-shard branches before the gather,
    // one key compare against the memo, no allocation. Tables are built only on a miss, in the NoInlining methods below.
    public bool Reconstruct(ShardSet shards, in ShardMask present)
    {
        int k = shards.DataShards, total = shards.TotalShards;
        var table = shards.Table;
        var words = (total + 63) >> 6;
        ref readonly var bound = ref shards.Bound;
        // The first k present shards are the sources; present data shards (indices < k) come first, so are always among them.
        var sources = default(ShardMask);
        var lostData = default(ShardMask);
        int found = 0, missing = 0;
        ulong unbound = 0;
        for (var w = 0; w < words; w++)
        {
            var bits = present.GetWord(w) & ShardMask.LowBits(total - 64 * w);
            var count = BitOperations.PopCount(bits);
            var excess = count - (k - found);
            if (excess > 0)
            {
                bits = ClearHighestBits(bits, excess);
                count -= excess;
            }
            found += count;
            var lost = ShardMask.LowBits(k - 64 * w) & ~bits;
            missing += BitOperations.PopCount(lost);
            sources.SetWord(w, bits);
            lostData.SetWord(w, lost);
            unbound |= (bits | lost) & ~bound.GetWord(w);
        }
        if (found < k)
        {
            return false;
        }
        if (missing == 0)
        {
            return true;
        }
        if (unbound != 0)
        {
            ThrowUnbound();
        }
        var key = new CodingKey(k, shards.ParityShards, sources);
        if (!TryGetTables(key, out var tables))
        {
            tables = BuildDecodeTables(key, missing);
        }
        // Gather: ISA-L and the managed kernel both take arrays of shard addresses, sources in matrix-row order.
        byte** s = _sources, t = _targets;
        for (var w = 0; w < words; w++)
        {
            var row = table + 64 * w;
            for (var bits = sources.GetWord(w); bits != 0; bits &= bits - 1)
            {
                *s++ = row[BitOperations.TrailingZeroCount(bits)];
            }
            for (var bits = lostData.GetWord(w); bits != 0; bits &= bits - 1)
            {
                *t++ = row[BitOperations.TrailingZeroCount(bits)];
            }
        }
        DotProducts(shards.ShardLength, k, missing, tables, _sources, _targets);
        return true;
    }

    /// <summary><paramref name="bits"/> without its <paramref name="count"/> highest set bits (count is at most the number set).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ClearHighestBits(ulong bits, int count)
    {
        // A loop over the surplus (at most m per block), not PDEP: PDEP is microcoded and slow on AMD before Zen 3.
        for (; count > 0; count--)
        {
            bits &= ~(0x8000_0000_0000_0000UL >> BitOperations.LeadingZeroCount(bits));
        }
        return bits;
    }

    // A one-entry memo in front of the cache: a steady stream of 10+4 encodes, or a burst of the same loss, skips the hashing.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryGetTables(in CodingKey key, out byte* tables)
    {
        if (_lastTables != null && _lastKey.Matches(key))
        {
            tables = _lastTables;
            return true;
        }
        return TryGetTablesFromCache(key, out tables);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TryGetTablesFromCache(in CodingKey key, out byte* tables)
    {
        if (_cache.TryGet(key, out tables))
        {
            _lastKey = key;
            _lastTables = tables;
            return true;
        }
        return false;
    }

    private byte* AddTables(in CodingKey key, int bytes)
    {
        var tables = _cache.Add(key, bytes);
        _lastKey = key;
        _lastTables = tables; // Add may have evicted the memo's slot and reused its memory; the memo now names the new owner.
        return tables;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private byte* BuildEncodeTables(in CodingKey key)
    {
        int k = key.DataShards, m = key.ParityShards;
        var tables = AddTables(key, 32 * k * m);
        BuildGenerator(_generator, k, k + m);
        InitTables(k, m, _generator + k * k, tables);
        return tables;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private byte* BuildDecodeTables(in CodingKey key, int missing)
    {
        int k = key.DataShards;
        var tables = AddTables(key, 32 * k * missing);
        BuildDecodeRows(k, k + key.ParityShards, key.Sources);
        InitTables(k, missing, _rows, tables);
        return tables;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowUnbound() =>
        throw new InvalidOperationException("a shard of the block is not bound: call ShardSet.Bind for every shard the operation reads or writes");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void BuildDecodeRows(int k, int total, in ShardMask sources)
    {
        BuildGenerator(_generator, k, total);
        var r = 0;
        for (var i = 0; i < total && r < k; i++)
        {
            if (sources[i])
            {
                new Span<byte>(_generator + i * k, k).CopyTo(new Span<byte>(_square + r * k, k));
                r++;
            }
        }
        if (!Invert(_square, _inverse, k))
        {
            // Cannot happen for a Cauchy generator with k+m <= 255; guards a broken engine, not bad input.
            throw new InvalidOperationException($"{Engine}: singular decode matrix for k={k}, shards={total}");
        }
        var row = 0;
        for (var d = 0; d < k; d++)
        {
            if (!sources[d])
            {
                new Span<byte>(_inverse + d * k, k).CopyTo(new Span<byte>(_rows + row * k, k));
                row++;
            }
        }
    }

    protected virtual void Dispose(bool disposing)
    {
        _cache.Dispose();
        _lastTables = null;
        Free(ref _generator);
        Free(ref _square);
        Free(ref _inverse);
        Free(ref _rows);
        if (_sources != null)
        {
            NativeMemory.Free(_sources);
            NativeMemory.Free(_targets);
            _sources = null;
            _targets = null;
        }
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    ~ErasureCoder()
    {
        Dispose(false);
    }

    private static void Free(ref byte* p)
    {
        if (p != null)
        {
            NativeMemory.Free(p);
            p = null;
        }
    }
}
