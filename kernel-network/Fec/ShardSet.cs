using System.Runtime.InteropServices;

namespace Aqs.Kernel.Network.Fec;

/// <summary>
/// One erasure-code block as a table of shard addresses: k data shards (0..k-1) then m parity shards (k..k+m-1),
/// each <see cref="ShardLength"/> bytes inside some <see cref="NativeBuffer"/>. Reusable: <see cref="Configure"/>
/// and <see cref="Bind"/> per block, no allocation. The addresses are only as valid as the buffers they point into.
/// Single owner; not thread-safe.
/// </summary>
public sealed unsafe class ShardSet : IDisposable
{
    /// <summary>k + m may not exceed this (GF(2^8) has 255 distinct non-zero Cauchy denominators).</summary>
    public const int MaxShards = 255;

    private byte** _shards;
    private ShardMask _bound; // bit i: _shards[i] is set, so coders check a whole block in O(1) instead of per pointer
    private int _boundCount;

    public ShardSet()
    {
        _shards = (byte**)NativeMemory.AllocZeroed((nuint)(MaxShards * sizeof(byte*)));
    }

    public int DataShards { get; private set; }

    public int ParityShards { get; private set; }

    public int TotalShards => DataShards + ParityShards;

    public int ShardLength { get; private set; }

    /// <summary>Starts a block of <paramref name="dataShards"/> + <paramref name="parityShards"/> shards of <paramref name="shardLength"/> bytes; unbinds all.</summary>
    public void Configure(int dataShards, int parityShards, int shardLength)
    {
        Validate(dataShards, parityShards, shardLength);
        DataShards = dataShards;
        ParityShards = parityShards;
        ShardLength = shardLength;
        NativeMemory.Clear(_shards, (nuint)(MaxShards * sizeof(byte*)));
        _bound = default;
        _boundCount = 0;
    }

    /// <summary>Shard <paramref name="index"/> lives at <paramref name="offset"/> in <paramref name="buffer"/> (bounds checked).</summary>
    public void Bind(int index, NativeBuffer buffer, int offset)
    {
        if ((uint)index >= (uint)TotalShards)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"shard index must be below k+m={TotalShards}");
        }
        var shard = buffer.At(offset, ShardLength);
        if (_shards[index] == null)
        {
            _bound.Set(index);
            _boundCount++;
        }
        _shards[index] = shard;
    }

    /// <summary>Binds all k+m shards to consecutive slices <paramref name="stride"/> bytes apart from <paramref name="offset"/>.</summary>
    public void BindContiguous(NativeBuffer buffer, int offset, int stride)
    {
        if (stride < ShardLength)
        {
            throw new ArgumentOutOfRangeException(nameof(stride), stride, $"stride must be at least the shard length {ShardLength}");
        }
        for (var i = 0; i < TotalShards; i++)
        {
            Bind(i, buffer, offset + i * stride);
        }
    }

    public Span<byte> Shard(int index)
    {
        var p = ShardPointer(index);
        return new Span<byte>(p, ShardLength);
    }

    internal byte* ShardPointer(int index)
    {
        if ((uint)index >= (uint)TotalShards || _shards[index] == null)
        {
            throw new InvalidOperationException($"shard {index} of a {DataShards}+{ParityShards} block is not bound");
        }
        return _shards[index];
    }

    /// <summary>Which shards are bound (each bound once stays bound until <see cref="Configure"/>).</summary>
    internal ref readonly ShardMask Bound => ref _bound;

    /// <summary>True when all k+m shards are bound.</summary>
    internal bool AllBound => _boundCount == TotalShards;

    internal byte** Table
    {
        get
        {
            ObjectDisposedException.ThrowIf(_shards == null, this);
            return _shards;
        }
    }

    internal static void Validate(int dataShards, int parityShards, int shardLength)
    {
        if (dataShards < 1 || parityShards < 0 || dataShards + parityShards > MaxShards)
        {
            throw new ArgumentOutOfRangeException(nameof(dataShards), $"need 1 <= k and 0 <= m and k+m <= {MaxShards}: k={dataShards}, m={parityShards}");
        }
        if (shardLength < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(shardLength), shardLength, "shard length must be positive");
        }
    }

    public void Dispose()
    {
        if (_shards != null)
        {
            NativeMemory.Free(_shards);
            _shards = null;
        }
        GC.SuppressFinalize(this);
    }

    ~ShardSet()
    {
        if (_shards != null)
        {
            NativeMemory.Free(_shards);
        }
    }
}
